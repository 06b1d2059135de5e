package io.sluice.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Keeps the docs honest: a snippet in a Markdown file (marked {@code <!-- snippet: NAME -->} before its code block)
 * must equal the region {@code // tag::NAME[]} ... {@code // end::NAME[]} of a compiled test.
 */
final class Snippets {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private Snippets() {}

    static String region(Path source, String name) throws IOException {
        List<String> lines = Files.readAllLines(source);
        int start = indexOf(lines, "// tag::" + name + "[]", source) + 1;
        int end = indexOf(lines, "// end::" + name + "[]", source);
        List<String> region = lines.subList(start, end);
        int indent = region.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return region.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip()).collect(Collectors.joining("\n"));
    }

    static String inMarkdown(Path markdown, String name) throws IOException {
        List<String> lines = Files.readAllLines(markdown);
        int marker = indexOf(lines, "<!-- snippet: " + name + " -->", markdown);
        int open = marker + 1;
        if (!lines.get(open).startsWith("```")) throw new IllegalStateException("no code block after the snippet marker " + name);
        int close = open + 1;
        while (!lines.get(close).startsWith("```")) close++;
        return String.join("\n", lines.subList(open + 1, close));
    }

    private static int indexOf(List<String> lines, String marker, Path file) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).strip().equals(marker)) return i;
        throw new IllegalStateException(file + " has no line '" + marker + "'");
    }
}
