package dev.muster.spi;

import java.util.Set;

/**
 * What a job needs from the worker that runs it. A worker matches when it has at least the cores
 * and memory, a GPU if one is required, and every required label.
 *
 * @param cores    minimum cores, 0 for any
 * @param memoryMb minimum memory in MiB, 0 for any
 * @param gpu      whether a GPU is required
 * @param labels   labels the worker must all have
 */
public record Requirements(int cores, long memoryMb, boolean gpu, Set<String> labels) {
    /** Runs anywhere. */
    public static final Requirements NONE = new Requirements(0, 0, false, Set.of());

    /**
     * Checks the requirements and keeps the labels sorted and immutable.
     *
     * @param cores    minimum cores, from 0 to 65,536
     * @param memoryMb minimum memory in MiB, from 0 to 2<sup>40</sup>
     * @param gpu      whether a GPU is required
     * @param labels   at most {@link Limits#LABELS} labels of at most {@link Limits#LABEL} characters each
     * @throws InvalidRequestException if a field is out of range
     */
    public Requirements {
        Checks.range(cores, "requirements.cores", 0, 65_536);
        Checks.range(memoryMb, "requirements.memoryMb", 0, 1L << 40);
        labels = Labels.copy(labels, "requirements.labels");
    }

    /**
     * Returns whether a worker with {@code capabilities} may run a job with these requirements.
     *
     * @param capabilities what the worker offers
     * @return whether a worker with {@code capabilities} may run a job with these requirements
     */
    public boolean satisfiedBy(Capabilities capabilities) {
        return capabilities.cores() >= cores
                && capabilities.memoryMb() >= memoryMb
                && (!gpu || capabilities.gpu())
                && capabilities.labels().containsAll(labels);
    }
}
