package dev.muster.spi;

import java.util.Set;
import java.util.TreeSet;

/** Label sets as the domain values keep them: checked, sorted and immutable. */
final class Labels {
    private Labels() {}

    /** An immutable, sorted copy, so equal label sets compare and hash equal whatever their order. */
    static Set<String> copy(Set<String> labels, String field) {
        Checks.size(labels, field, Limits.LABELS.max());
        TreeSet<String> sorted = new TreeSet<>();
        for (String label : labels) {
            sorted.add(Limits.LABEL.text(label, field + " entry"));
        }
        return Set.copyOf(sorted);
    }
}
