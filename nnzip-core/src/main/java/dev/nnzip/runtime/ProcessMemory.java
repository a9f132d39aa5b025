package dev.nnzip.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole process's memory as the kernel counts it (Linux {@code /proc/self/status}): peak resident set (VmHWM) and
 * current resident set (VmRSS). This is the honest figure — heap, metaspace, code cache, mapped files and native
 * libraries included — next to which the engine's own accounting of weights and activations is reported.
 */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Peak resident set size in bytes, or -1 where /proc is not available. */
    public static long peakRssBytes() {
        return statusField("VmHWM:");
    }

    /** Current resident set size in bytes, or -1 where /proc is not available. */
    public static long rssBytes() {
        return statusField("VmRSS:");
    }

    /** The JVM's maximum heap (-Xmx, or the ergonomic default), for stating next to RSS figures. */
    public static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /** The -Xmx flag as given on the command line, or "default (N MiB)" when none was given. */
    public static String heapSetting() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xmx")) {
                return arg;
            }
        }
        return "default -Xmx (" + (maxHeapBytes() >> 20) + " MiB)";
    }

    private static long statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // the kernel reports kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
