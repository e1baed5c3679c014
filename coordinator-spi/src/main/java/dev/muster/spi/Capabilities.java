package dev.muster.spi;

import java.util.Set;

/**
 * What a worker offers: cores, memory, whether it has a GPU, and free-form labels such as a tier
 * ({@code "tier:gold"}) or an operating system.
 *
 * @param cores    logical cores the worker gives to jobs, at least 1
 * @param memoryMb memory in MiB the worker gives to jobs
 * @param gpu      whether a GPU is available to jobs
 * @param labels   labels, matched exactly against job requirements
 */
public record Capabilities(int cores, long memoryMb, boolean gpu, Set<String> labels) {
    /**
     * Checks the capabilities and keeps the labels sorted and immutable.
     *
     * @param cores    logical cores, from 1 to 65,536
     * @param memoryMb memory in MiB, from 0 to 2<sup>40</sup>
     * @param gpu      whether a GPU is available to jobs
     * @param labels   at most {@link Limits#LABELS} labels of at most {@link Limits#LABEL} characters each
     * @throws InvalidRequestException if a field is out of range
     */
    public Capabilities {
        Checks.range(cores, "cores", 1, 65_536);
        Checks.range(memoryMb, "memoryMb", 0, 1L << 40);
        labels = Labels.copy(labels, "labels");
    }

    /**
     * Returns capabilities with no GPU and no labels.
     *
     * @param cores    logical cores, from 1 to 65,536
     * @param memoryMb memory in MiB, from 0 to 2<sup>40</sup>
     * @return capabilities with no GPU and no labels
     * @throws InvalidRequestException if a value is out of range
     */
    public static Capabilities of(int cores, long memoryMb) {
        return new Capabilities(cores, memoryMb, false, Set.of());
    }
}
