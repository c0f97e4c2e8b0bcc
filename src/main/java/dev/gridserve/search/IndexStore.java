package dev.gridserve.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The index's directory: one subdirectory per generation ({@code gen-1}, {@code gen-2}, ...) and a file
 * {@code CURRENT} naming the generation that is served. A rebuild writes a new generation beside the current
 * one and then replaces {@code CURRENT} in one atomic rename, so a crash or stop at any moment leaves either the
 * old generation or the complete new one current, never a mix. The data directory is locked by this process
 * (see {@code DataDirectory}), so nothing here is used by another.
 */
final class IndexStore {
    private static final String POINTER = "CURRENT";
    private static final String PREFIX = "gen-";

    private final Path root;

    IndexStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
            adoptUnversionedIndex();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The generation named by {@code CURRENT}, or null when there is none. */
    String current() {
        Path p = root.resolve(POINTER);
        try {
            if (!Files.exists(p)) {
                return null;
            }
            String name = Files.readString(p, StandardCharsets.UTF_8).strip();
            return name.startsWith(PREFIX) && Files.isDirectory(root.resolve(name)) ? name : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path(String generation) {
        return root.resolve(generation);
    }

    /** A new, empty generation directory, numbered after every existing one. */
    String create() {
        long next = generations().stream()
                        .mapToLong(g -> Long.parseLong(g.substring(PREFIX.length())))
                        .max()
                        .orElse(0)
                + 1;
        String name = PREFIX + next;
        try {
            Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return name;
    }

    /** Makes {@code generation} (already committed) the one a restart opens, atomically and durably. */
    void makeCurrent(String generation) {
        Path tmp = root.resolve(POINTER + ".tmp");
        try {
            Files.writeString(tmp, generation + "\n", StandardCharsets.UTF_8);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Files.move(tmp, root.resolve(POINTER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(root, StandardOpenOption.READ)) {
                d.force(true); // the rename itself
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes every generation but {@code keep} (leftovers of a stopped or replaced build). */
    void deleteAllBut(String keep) {
        for (String g : generations()) {
            if (!g.equals(keep)) {
                IndexGeneration.deleteTree(root.resolve(g));
            }
        }
    }

    private List<String> generations() {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(PREFIX)
                            && n.substring(PREFIX.length()).chars().allMatch(Character::isDigit)
                            && n.length() > PREFIX.length())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An index written by a version without generations (files directly in the root) becomes generation 1. */
    private void adoptUnversionedIndex() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(root)) {
            files = s.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(POINTER))
                    .toList();
        }
        if (files.isEmpty() || current() != null) {
            return;
        }
        String gen = create();
        for (Path f : files) {
            Files.move(f, root.resolve(gen).resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        makeCurrent(gen);
    }
}
