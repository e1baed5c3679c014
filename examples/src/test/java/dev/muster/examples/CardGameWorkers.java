package dev.muster.examples;

import dev.muster.examples.cardgame.CardGameHandler;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.worker.WorkerClient;
import dev.muster.worker.WorkerLoop;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Card-game workers for tests: one fresh key per owner, each looping on a daemon thread over HTTP. */
final class CardGameWorkers {
    private CardGameWorkers() {}

    /**
     * Registers a worker for each owner at the coordinator whose API root is {@code api} and starts
     * its loop (4 leases at a time, a 50 ms pause when idle).
     *
     * @return the loops, to stop
     */
    static List<WorkerLoop> start(URI api, String... owners) {
        return start(api, Capabilities.of(2, 1024), owners);
    }

    /** As {@link #start(URI, String...)}, with workers that offer {@code capabilities}. */
    static List<WorkerLoop> start(URI api, Capabilities capabilities, String... owners) {
        List<WorkerLoop> loops = new ArrayList<>();
        for (String owner : owners) {
            WorkerClient client = new WorkerClient(api, Keys.generate());
            client.register(owner, capabilities, "example-tests", 4);
            WorkerLoop loop = new WorkerLoop(client, new CardGameHandler(), 4, Duration.ofMillis(50),
                    Duration.ofSeconds(1));
            Thread t = new Thread(loop, "worker-" + owner);
            t.setDaemon(true);
            t.start();
            loops.add(loop);
        }
        return loops;
    }
}
