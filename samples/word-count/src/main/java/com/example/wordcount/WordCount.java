package com.example.wordcount;

import java.nio.charset.StandardCharsets;

/** Counts the words of a text: runs of characters between white space. */
final class WordCount {
    static final String TYPE = "word-count";

    private WordCount() {}

    static long count(byte[] text) {
        String s = new String(text, StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? 0 : s.split("\\s+").length;
    }
}
