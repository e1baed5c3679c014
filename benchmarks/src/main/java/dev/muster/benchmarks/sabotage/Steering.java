package dev.muster.benchmarks.sabotage;

import dev.muster.spi.JobId;
import java.util.List;
import java.util.Random;

/**
 * Whose turn it is, with a {@link Adversary#STEERING} cartel timing its leases: right after a key
 * of the cartel answers a job wrong, a key of another of its owners takes its turn, to lease that
 * job's next replica. Every turn taken early is paid back by skipping the cartel's next drawn turn,
 * so its share of the turns stays f. A steered key that gets some other job does not steer on: the
 * chase of that job is over. Counts the steered turns and those that caught the job they chased.
 */
final class Steering {
    private final Random random;
    private final int saboteurs;
    /** The key that takes the next turn, or -1 for a drawn turn. */
    private int steered = -1;
    private JobId target;
    private int owedTurns;
    private int turns;
    private int caught;

    /** @param saboteurs the cartel's keys are the first this many of the run's keys */
    Steering(Random random, int saboteurs) {
        this.random = random;
        this.saboteurs = saboteurs;
    }

    /** @return the job the next turn chases, or null for a drawn turn; read before {@link #next} */
    JobId chased() {
        return steered >= 0 ? target : null;
    }

    /** @return the index of the key whose turn it is, or -1 for a cartel turn skipped to pay one back */
    int next(List<Key> keys) {
        if (steered >= 0) {
            int wi = steered;
            steered = -1;
            return wi;
        }
        int wi = random.nextInt(keys.size());
        if (owedTurns > 0 && keys.get(wi).adversary != Adversary.HONEST) {
            owedTurns--;
            return -1;
        }
        return wi;
    }

    /** A turn that chased {@code chased} (null: a drawn turn) leased a replica of {@code job}. */
    void leased(JobId chased, JobId job) {
        if (chased != null) {
            turns++;
            if (chased.equals(job)) {
                caught++;
            }
        }
    }

    /** A cartel key answered {@code job} wrong on a turn that chased {@code chased}: a partner chases it next. */
    void answeredWrong(List<Key> keys, Key answered, JobId job, JobId chased) {
        if (chased != null && !chased.equals(job)) {
            return;
        }
        for (int tries = 0; tries < 8; tries++) {
            int wi = random.nextInt(saboteurs);
            if (!keys.get(wi).owner.equals(answered.owner)) {
                steered = wi;
                target = job;
                owedTurns++;
                return;
            }
        }
    }

    /** @return steered turns that leased something */
    int turns() {
        return turns;
    }

    /** @return steered turns that leased a replica of the job they chased */
    int caught() {
        return caught;
    }
}
