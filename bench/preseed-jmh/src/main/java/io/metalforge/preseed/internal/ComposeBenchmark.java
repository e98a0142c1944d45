package io.metalforge.preseed.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.metalforge.api.deploy.ConfigDocument;
import io.metalforge.api.deploy.DeploymentConfig;

/**
 * Deployment configurations composed per second over 10,000 generated machines (the test corpus generator: every
 * OS family, network shape and storage layout), against two references measured in the same run on the very
 * documents composed: serialising them with plain Jackson to JSON, and to YAML. The composer does that YAML work
 * plus building, checking and templating, so the ratio says what the composition itself costs.
 *
 * <p>
 * Lives in the composer's package to reuse its test corpus (package-private) on a plain class path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
public class ComposeBenchmark {

    static final int MACHINES = 10_000;

    private DeploymentComposerImpl composer;
    private List<Corpus.Case> cases;
    private List<List<Map<String, Object>>> documents;
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new YAMLMapper();

    @Setup
    public void setUp() throws Exception {
        composer = new DeploymentComposerImpl(TestOsRegistry.distribution(), (Path) null);
        cases = Corpus.cases(MACHINES);
        documents = new ArrayList<>(MACHINES);
        TypeReference<LinkedHashMap<String, Object>> map = new TypeReference<>() {
        };
        for (Corpus.Case c : cases) {
            DeploymentConfig cfg = composer.compose(c.machine(), c.image(), c.settings());
            List<Map<String, Object>> trees = new ArrayList<>();
            for (ConfigDocument d : cfg.documents()) {
                trees.add(yaml.readValue(d.content(), map));
            }
            documents.add(trees);
        }
    }

    @Benchmark
    @OperationsPerInvocation(MACHINES)
    public void compose(Blackhole bh) {
        for (Corpus.Case c : cases) {
            bh.consume(composer.compose(c.machine(), c.image(), c.settings()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(MACHINES)
    public void referenceJacksonJson(Blackhole bh) throws Exception {
        for (List<Map<String, Object>> trees : documents) {
            for (Map<String, Object> t : trees) {
                bh.consume(json.writeValueAsString(t));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(MACHINES)
    public void referenceJacksonYaml(Blackhole bh) throws Exception {
        for (List<Map<String, Object>> trees : documents) {
            for (Map<String, Object> t : trees) {
                bh.consume(yaml.writeValueAsString(t));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        var options = new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(ComposeBenchmark.class.getSimpleName()).build();
        Map<String, Double> score = new LinkedHashMap<>();
        for (RunResult r : new Runner(options).run()) {
            String name = r.getParams().getBenchmark();
            score.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        double compose = score.get("compose");
        System.out.printf("%nconfigurations composed per second: %.0f (%d machines, 1 thread)%n", compose, MACHINES);
        System.out.printf("ratio to Jackson JSON serialisation of the same documents: %.3f%n",
                compose / score.get("referenceJacksonJson"));
        System.out.printf("ratio to Jackson YAML serialisation of the same documents: %.3f%n",
                compose / score.get("referenceJacksonYaml"));
    }
}
