package io.agentservesim.cli;

import io.agentservesim.cluster.AgentSimulation;
import io.agentservesim.report.SummaryJson;
import io.agentservesim.results.RunSummary;
import io.agentservesim.config.ResolvedSimulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The agent-scale case of {@code asim bench --programs N} (issue 15's table): N synthetic SWE-bench
 * programs of exactly 20 turns (token ids on), 4 programs/s, on a cluster of identical RTX PRO 6000
 * instances serving Llama-3.1-8B (max_num_seqs 128, the KV pool sized from 89.4 GiB: 33,540 blocks), affinity
 * router. One run, as a user runs it: every output (turns.csv, programs.csv, timeseries.csv,
 * summary.json) is written, into a folder this case creates and deletes, and their SHA-256 printed so
 * that two builds can be checked for identical results at scale.
 *
 * <p>Reported: wall time, process CPU time (all threads: simulation, GC, JIT) and the simulation
 * thread's own CPU, the JVM's peak resident set (VmHWM) and heap limit, turns/s and engine steps/s, and
 * CPU microseconds per turn and per step. One run is measured (a 100,000-program run is minutes long):
 * JIT warm-up is part of it, as it is of a user's run.
 */
final class AgentScaleBench {
    private static final String CONFIG = """
            # asim bench --programs %d: issue 15's agent-scale setup
            model: %s
            hardware:
              profile: %s
              memory_gib: 89.4
            engine:
              max_num_seqs: 128
            programs:
              synthetic:
                preset: swe-bench
                num_programs: %d
                programs_per_sec: 4
                token_ids: true
                turns: {type: fixed, tokens: 20}
            cluster:
              instances: %d
              router: affinity
            seed: 15
            """;

    private AgentScaleBench() {
    }

    static void run(Path data, int programs, int instances) {
        Path lss = data.toAbsolutePath().resolve("llmservingsim");
        Path model = lss.resolve("models/meta-llama/Llama-3.1-8B.json");
        Path profile = lss.resolve("perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16");
        Path work;
        try {
            work = Files.createTempDirectory("asim-bench-agents-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path yaml = work.resolve("agent-scale.yaml");
            Files.writeString(yaml, String.format(Locale.ROOT, CONFIG, programs, model, profile, programs, instances));
            Path out = Files.createDirectory(work.resolve("out"));
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            var threads = ManagementFactory.getThreadMXBean();
            long cpu0 = os.getProcessCpuTime();
            long thread0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            RunSummary s = new AgentSimulation(ResolvedSimulation.load(yaml, null, data)).run(out);
            Files.writeString(out.resolve("summary.json"), SummaryJson.render(s));
            double wall = (System.nanoTime() - wall0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            double simCpu = (threads.getCurrentThreadCpuTime() - thread0) / 1e9;
            long turns = s.turns();
            System.out.printf(Locale.ROOT, "agents at scale: %,d swe-bench programs x 20 turns, 4 programs/s, %d instances,"
                            + " affinity router, RTX PRO 6000 Llama-3.1-8B%n", programs, instances);
            System.out.printf(Locale.ROOT, "  turns %,d  steps %,d  simulated %.0f s%n", turns, s.steps(),
                    s.counters().simulatedNs() / 1e9);
            System.out.printf(Locale.ROOT, "  wall %.2f s  CPU %.2f s (simulation thread %.2f s)  max RSS %.0f MB"
                            + "  heap limit %.0f MB%n", wall, cpu, simCpu, peakRssKb() / 1024.0,
                    Runtime.getRuntime().maxMemory() / 1048576.0);
            System.out.printf(Locale.ROOT, "  %,.0f turns/s  %,.0f steps/s  %.1f us CPU per turn  %.2f us CPU per step%n",
                    turns / wall, s.steps() / wall, cpu * 1e6 / turns, cpu * 1e6 / s.steps());
            for (String f : List.of("turns.csv", "programs.csv", "timeseries.csv", "summary.json")) {
                System.out.printf(Locale.ROOT, "  sha256 %s %s%n", sha256(out.resolve(f)), f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(work);
        }
    }

    /** Peak resident set of this process in KiB (Linux VmHWM), or 0 where /proc is not there. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the folder this case created (and only that). */
    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
