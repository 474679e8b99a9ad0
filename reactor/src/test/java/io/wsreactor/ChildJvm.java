package io.wsreactor;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Starts a test class's {@code main} in a JVM of its own, with the library and the test classes on its class path:
 * for what one process cannot show (a JVM exiting by itself, two servers sharing a port, a descriptor limit).
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** Starts {@code main} with {@code jvmOptions} and {@code args}; its standard error goes to its output. */
    public static Process start(Class<?> main, List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The library's classes, its dependencies and the test classes, as a plain class path. */
    public static String classPath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property);
            if (value != null) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isEmpty()) {
                        entries.add(entry);
                    }
                }
            }
        }
        // The test classes are patched into the library's module; find their folder from this class's file.
        java.net.URL url = ChildJvm.class.getResource("ChildJvm.class");
        if (url != null && "file".equals(url.getProtocol())) {
            Path root = Path.of(url.toURI());
            for (int i = 0; i < ChildJvm.class.getName().split("\\.").length; i++) {
                root = root.getParent();
            }
            entries.add(root.toString());
        }
        for (String entry : List.copyOf(entries)) {
            Path path = Path.of(entry);
            Path sibling = path.resolveSibling("test-classes");
            if (path.getFileName() != null && path.getFileName().toString().equals("classes")
                    && Files.isDirectory(sibling)) {
                entries.add(sibling.toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
