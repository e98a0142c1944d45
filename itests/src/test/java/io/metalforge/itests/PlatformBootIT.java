package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.api.power.PowerDriverRegistry;
import io.metalforge.api.source.ImageStreamSourceRegistry;
import io.metalforge.api.store.BlobStoreRegistry;

/** The distribution's bundle set boots: every bundle active, every component satisfied, the registries present. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformBootIT {

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    @Inject
    PlatformDirectories directories;

    @Configuration
    public Option[] config() throws Exception {
        return PlatformOptions.platform();
    }

    @Test
    public void everyDistributionBundleIsActive() throws Exception {
        List<String> expected = Distribution.load().bundles().stream().map(Distribution.EmbeddedBundle::symbolicName)
                .toList();
        List<String> problems = new ArrayList<>();
        for (String bsn : expected) {
            Bundle bundle = find(bsn);
            if (bundle == null) {
                problems.add(bsn + " not installed");
            } else if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) == null && bundle.getState() != Bundle.ACTIVE) {
                problems.add(bsn + " in state " + bundle.getState());
            }
        }
        assertTrue("bundles not active: " + problems, problems.isEmpty());
        assertTrue(expected.contains("io.metalforge.platform"));
    }

    @Test
    public void everyComponentIsSatisfied() {
        List<String> unsatisfied = new ArrayList<>();
        int checked = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!scr.isComponentEnabled(description)) {
                unsatisfied.add(description.name + " disabled");
                continue;
            }
            for (ComponentConfigurationDTO config : scr.getComponentConfigurationDTOs(description)) {
                checked++;
                if (config.state != ComponentConfigurationDTO.ACTIVE
                        && config.state != ComponentConfigurationDTO.SATISFIED) {
                    unsatisfied.add(description.name + " state " + config.state + " " + List.of(config.unsatisfiedReferences));
                }
            }
        }
        assertTrue("unsatisfied components: " + unsatisfied, unsatisfied.isEmpty());
        assertTrue("expected the platform's components, checked " + checked, checked >= 7);
    }

    @Test
    public void registriesForEveryFamilyAreRegistered() {
        for (Class<?> type : List.of(ImageStreamSourceRegistry.class, OsHandlerRegistry.class, BlobStoreRegistry.class,
                PowerDriverRegistry.class)) {
            assertEquals(type.getName(), 1, countOf(type));
        }
    }

    /**
     * The metadata service's routes are in the distribution's whiteboard (one component registers them all) and
     * answer over HTTP: the anonymous preseed route looks the node up, a node route wants the node's token.
     */
    @Test
    public void theMetadataRoutesAreRegisteredAndAnswer() throws Exception {
        Set<String> routes = new TreeSet<>();
        for (ServiceReference<ApiHandler> ref : context.getServiceReferences(ApiHandler.class,
                "(metalforge.api=metadata)")) {
            ApiHandler handler = context.getService(ref);
            try {
                routes.add(handler.name() + " " + handler.path());
            } finally {
                context.ungetService(ref);
            }
        }
        assertEquals(new TreeSet<>(List.of("MetadataByIdHandler {version}/by-id/{system_id}/",
                "StatusHandler status/{system_id}/",
                "VersionIndexHandler {version}/", "CurtinVersionIndexHandler curtin/{version}/",
                "MetaDataIndexHandler {version}/meta-data/", "CurtinMetaDataIndexHandler curtin/{version}/meta-data/",
                "MetaDataItemHandler {version}/meta-data/{item}/",
                "CurtinMetaDataItemHandler curtin/{version}/meta-data/{item}/",
                "UserDataHandler {version}/user-data/", "CurtinUserDataHandler curtin/{version}/user-data/")), routes);

        String base = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port") + "/MAAS/metadata/";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> preseed = http.send(HttpRequest.newBuilder(URI.create(base
                + "latest/by-id/no-such-node/?op=get_preseed")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(preseed.body(), 404, preseed.statusCode());
        assertTrue(preseed.body(), preseed.body().contains("No node with system_id no-such-node."));
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(base + "latest/meta-data/"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(unsigned.body(), 401, unsigned.statusCode());
    }

    @Test
    public void dataAndDeployFoldersFollowTheProperties() {
        assertEquals(System.getProperty(PlatformOptions.DEPLOY_DIR), directories.deploy().toString());
        assertTrue(directories.data().toFile().isDirectory());
    }

    private int countOf(Class<?> type) {
        try {
            var refs = context.getServiceReferences(type.getName(), null);
            return refs == null ? 0 : refs.length;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Bundle find(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }
}
