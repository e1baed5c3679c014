package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Limits;
import org.junit.jupiter.api.Test;

/** API key settings: a key's name is the submitter of its jobs, so it must fit the submitter limit. */
class ApiKeysTest {
    @Test
    void aKeyNameLongerThanTheSubmitterLimit_isRefusedAtStart_andOneAtTheLimitIsKept() {
        String hash = ApiKeys.hash("k");
        String atLimit = "n".repeat(Limits.SUBMITTER.max());
        assertEquals(atLimit, new ApiKeys(atLimit + ":submit:" + hash).lookup("k").name());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new ApiKeys(atLimit + "n:submit:" + hash));
        assertTrue(e.getMessage().contains("129 characters long; the limit is 128"), e.getMessage());
    }

    @Test
    void aBlankKeyNameOrOneWithControlCharacters_isRefusedAtStart_namingTheEntry() {
        String hash = ApiKeys.hash("k");
        String good = "alice:submit:" + hash + ",";
        ConfigurationException blank = assertThrows(ConfigurationException.class,
                () -> new ApiKeys(good + "   :submit:" + hash));
        assertTrue(blank.getMessage().contains("the name of entry 2 must not be blank"), blank.getMessage());
        for (String name : new String[] {"bo\u0007b", "bo\u0000b", "bo\u009fb", "bo\tb"}) {
            ConfigurationException control = assertThrows(ConfigurationException.class,
                    () -> new ApiKeys(good + name + ":submit:" + hash));
            assertTrue(control.getMessage().startsWith("transport.apiKeys: the name of entry 2"),
                    control.getMessage());
        }
        assertEquals("bob smith", new ApiKeys(good + "bob smith:read:" + ApiKeys.hash("k2")).lookup("k2").name());
    }
}
