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
    /** @throws InvalidRequestException if a field is out of range */
    public Capabilities {
        Checks.range(cores, "cores", 1, 65_536);
        Checks.range(memoryMb, "memoryMb", 0, 1L << 40);
        labels = Labels.copy(labels, "labels");
    }

    /** @return capabilities with no GPU and no labels */
    public static Capabilities of(int cores, long memoryMb) {
        return new Capabilities(cores, memoryMb, false, Set.of());
    }
}
