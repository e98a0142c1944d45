package io.metalforge.metrics.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.catalog.UploadedImageCount;
import io.metalforge.api.machine.MachineService;
import io.metalforge.api.machine.MachineStatistics;
import io.metalforge.api.machine.NodeStatus;

/**
 * {@code GET /MAAS/metrics}: MAAS's {@code maas_custom_static_images_uploaded{base_image,file_type}} (file rows of
 * resources with a base image, all sets) and {@code maas_custom_static_images_deployed} (machines whose OS is
 * custom, any state), plus Metalforge's machines by status and deployments by result, read at each scrape from
 * the database (a handful of grouped queries), so every region answers the same; and this process's counters of
 * bytes synced, bytes uploaded and power operations by driver, operation and result ({@link CountingRecorder}).
 */
@Component(service = Servlet.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@HttpWhiteboardServletPattern("/MAAS/metrics")
public class MetricsServlet extends HttpServlet {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final long serialVersionUID = 1L;

    private final transient BootResourceCatalog catalog;
    private final transient MachineService machines;
    private final transient CountingRecorder counters;

    @Activate
    public MetricsServlet(@Reference BootResourceCatalog catalog, @Reference MachineService machines,
            @Reference CountingRecorder counters) {
        this.catalog = catalog;
        this.machines = machines;
        this.counters = counters;
    }

    String render() {
        Exposition e = new Exposition();
        e.family("maas_custom_static_images_uploaded", "gauge", "Number of custom static OS images uploaded to MAAS");
        for (UploadedImageCount c : catalog.uploadedCustomImages()) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("base_image", c.baseImage());
            labels.put("file_type", c.fileType());
            e.sample("maas_custom_static_images_uploaded", labels, c.count());
        }
        MachineStatistics s = machines.statistics();
        e.family("maas_custom_static_images_deployed", "gauge", "Number of custom static OS images deployed");
        e.sample("maas_custom_static_images_deployed", Map.of(), s.customImagesDeployed());
        e.family("metalforge_machines", "gauge", "Machines by lifecycle status");
        for (NodeStatus status : NodeStatus.values()) {
            e.sample("metalforge_machines", Map.of("status", status.label()), s.byStatus().getOrDefault(status, 0L));
        }
        e.family("metalforge_deployments_total", "counter", "Finished deployments by result");
        for (Map.Entry<String, Long> r : s.deploymentsByResult().entrySet()) {
            e.sample("metalforge_deployments_total", Map.of("result", r.getKey()), r.getValue());
        }
        e.family("metalforge_sync_bytes_total", "counter",
                "Bytes of image files the image sync downloaded from mirrors since this process started");
        e.sample("metalforge_sync_bytes_total", Map.of(), counters.syncedBytes());
        e.family("metalforge_upload_bytes_total", "counter",
                "Bytes of uploaded image content stored since this process started");
        e.sample("metalforge_upload_bytes_total", Map.of(), counters.uploadedBytes());
        e.family("metalforge_power_operations_total", "counter",
                "Finished power operations since this process started, by driver, operation and result");
        for (Map.Entry<CountingRecorder.PowerKey, Long> p : counters.powerOperations().entrySet()) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("driver", p.getKey().driver());
            labels.put("operation", p.getKey().operation());
            labels.put("result", p.getKey().result());
            e.sample("metalforge_power_operations_total", labels, p.getValue());
        }
        return e.toString();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body;
        try {
            body = render().getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException ex) {
            resp.setStatus(503);
            resp.setContentType("text/plain; charset=utf-8");
            resp.getOutputStream().write("Metrics are unavailable: the database did not answer.\n"
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        resp.setStatus(200);
        resp.setContentType(CONTENT_TYPE);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
