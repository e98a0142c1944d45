package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.api.platform.PlatformReady;
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

    /** Injected so that no test begins before the platform said it is ready. */
    @Inject
    PlatformReady ready;

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

    /**
     * Components that wait for {@code PlatformReady} (the admin command line, the sync's start) activate just after
     * the ready service registers, on the registering thread, while this test may already be reading the states: so
     * the test waits for ready and then lets the states settle for a bounded time before it judges them.
     */
    @Test
    public void everyComponentIsSatisfied() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> unsatisfied = unsatisfiedComponents();
        while (!unsatisfied.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            unsatisfied = unsatisfiedComponents();
        }
        assertTrue("unsatisfied components: " + unsatisfied, unsatisfied.isEmpty());
        long checked = scr.getComponentDescriptionDTOs().stream()
                .mapToLong(description -> scr.getComponentConfigurationDTOs(description).size()).sum();
        assertTrue("expected the platform's components, checked " + checked, checked >= 7);
    }

    private List<String> unsatisfiedComponents() {
        List<String> unsatisfied = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!scr.isComponentEnabled(description)) {
                unsatisfied.add(description.name + " disabled");
                continue;
            }
            for (ComponentConfigurationDTO config : scr.getComponentConfigurationDTOs(description)) {
                if (config.state != ComponentConfigurationDTO.ACTIVE
                        && config.state != ComponentConfigurationDTO.SATISFIED) {
                    unsatisfied.add(description.name + " state " + config.state + " " + List.of(config.unsatisfiedReferences));
                }
            }
        }
        return unsatisfied;
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

    /**
     * API handlers are got on their first request when their name and path are service properties: the built-in
     * ones are not active after the start, a handler registered so is got by the first request to its path and not
     * by another, and a handler without the properties (a vendor's built against the API package 1.1) is got when
     * registered, as before; both answer over HTTP, and leave when unregistered.
     */
    @Test
    public void apiHandlersWithTheirPathAsServicePropertiesAreGotOnTheirFirstRequest() throws Exception {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.name.equals("io.metalforge.preseed.internal.DeploymentPreviewHandler")
                    || d.name.equals("io.metalforge.simplestreams.internal.BootSourcesHandler")) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    assertEquals(d.name + " waits for its first request", ComponentConfigurationDTO.SATISFIED, c.state);
                }
            }
        }
        AtomicInteger deferredGets = new AtomicInteger();
        AtomicInteger eagerGets = new AtomicInteger();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ApiHandler.NAME_PROPERTY, "ItDeferredHandler");
        properties.put(ApiHandler.PATH_PROPERTY, "it-deferred/");
        ServiceRegistration<?> deferred = context.registerService(ApiHandler.class.getName(),
                counted(deferredGets, handler("ItDeferredHandler", "it-deferred/")), properties);
        ServiceRegistration<?> eager = context.registerService(ApiHandler.class.getName(),
                counted(eagerGets, handler("ItEagerHandler", "it-eager/")), null);
        String base = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port") + "/MAAS/api/2.0/";
        try {
            assertEquals("got when registered", 1, eagerGets.get());
            assertEquals(200, get(base + "version/").statusCode());
            assertEquals("not got for another path's request", 0, deferredGets.get());
            HttpResponse<String> first = get(base + "it-deferred/");
            assertEquals(first.body(), 200, first.statusCode());
            assertEquals("ItDeferredHandler", first.body());
            assertEquals(1, deferredGets.get());
            assertEquals("ItEagerHandler", get(base + "it-eager/").body());
            assertEquals(1, deferredGets.get());
        } finally {
            deferred.unregister();
            eager.unregister();
        }
        assertEquals(404, get(base + "it-deferred/").statusCode());
        assertEquals(404, get(base + "it-eager/").statusCode());
    }

    private static HttpResponse<String> get(String uri) throws Exception {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(HttpRequest.newBuilder(
                URI.create(uri)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An anonymous resource that answers its own name. */
    private static ApiHandler handler(String name, String path) {
        return new ApiHandler() {
            public String name() {
                return name;
            }

            public String doc() {
                return "Registered by the integration test.";
            }

            public String path() {
                return path;
            }

            public List<ApiAction> actions() {
                return List.of(ApiAction.crud("GET", "Read.", Access.ANONYMOUS));
            }

            public ApiResponse handle(ApiAction action, ApiRequest request) {
                return ApiResponse.text(200, name);
            }
        };
    }

    /** The service as a factory, so the test sees when the platform gets it. */
    private static ServiceFactory<ApiHandler> counted(AtomicInteger gets, ApiHandler handler) {
        return new ServiceFactory<>() {
            public ApiHandler getService(Bundle bundle, ServiceRegistration<ApiHandler> registration) {
                gets.incrementAndGet();
                return handler;
            }

            public void ungetService(Bundle bundle, ServiceRegistration<ApiHandler> registration, ApiHandler service) {
            }
        };
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
