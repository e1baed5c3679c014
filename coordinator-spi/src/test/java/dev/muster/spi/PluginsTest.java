package dev.muster.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PluginsTest {
    /** A plug-in kind for this test; its services file lists a good, a throwing and a missing provider. */
    public interface Gadget extends Plugin {}

    /** Loads fine. */
    public static final class GoodGadget implements Gadget {
        @Override
        public String name() {
            return "good";
        }
    }

    /** Fails in its constructor. */
    public static final class BrokenGadget implements Gadget {
        public BrokenGadget() {
            throw new IllegalStateException("native library missing");
        }

        @Override
        public String name() {
            return "broken";
        }
    }

    @Test
    void load_findsAProviderByName_despiteABrokenNeighbour() {
        Gadget g = Plugins.load(Gadget.class, "good", getClass().getClassLoader());
        assertEquals(GoodGadget.class, g.getClass());
        assertEquals(1, Plugins.all(Gadget.class, getClass().getClassLoader()).size());
    }

    @Test
    void load_ofAMissingName_listsAvailableAndBrokenProvidersByName() {
        PluginException e = assertThrows(PluginException.class,
                () -> Plugins.load(Gadget.class, "shiny", getClass().getClassLoader()));
        String m = e.getMessage();
        assertTrue(m.contains("'shiny'"), m);
        assertTrue(m.contains("[good]"), m);
        assertTrue(m.contains("BrokenGadget") && m.contains("native library missing"), m);
        assertTrue(m.contains("NoSuchGadget"), m);
    }
}
