package io.metalforge.preseed.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.deploy.ConfigDocument;
import io.metalforge.api.deploy.ConfigDocument.Kind;
import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.deploy.DeploymentComposer;
import io.metalforge.api.deploy.DeploymentConfig;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.os.PackageProxy;
import io.metalforge.api.platform.PlatformDirectories;

/**
 * Composes a deployment. Curtin documents come in the order curtin merges them: storage, apt, reporting, network,
 * kernel, verbosity, cloudconfig, kernel-crash-dumps, then the operator's template. Then the cloud-configs and, for
 * network config v2, the netplan file.
 */
@Component(service = DeploymentComposer.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public class DeploymentComposerImpl implements DeploymentComposer {

    /** Folder under the data directory where operators put their templates. */
    static final String TEMPLATE_FOLDER = "preseeds";

    private final OsHandlerRegistry registry;
    private final Templates templates;

    @Activate
    public DeploymentComposerImpl(@Reference OsHandlerRegistry registry, @Reference PlatformDirectories dirs) {
        this(registry, dirs.data().resolve(TEMPLATE_FOLDER));
    }

    DeploymentComposerImpl(OsHandlerRegistry registry, Path templateDir) {
        this(registry, new Templates(templateDir));
    }

    DeploymentComposerImpl(OsHandlerRegistry registry, Templates templates) {
        this.registry = registry;
        this.templates = templates;
    }

    @Override
    public DeploymentConfig compose(Machine m, DeployImage image, DeploySettings s) {
        MachineIdentity.check(m);
        OsHandler handler = registry.require(image.os());
        handler.requireRelease(image.release());
        String sourceType = handler.curtinSourceType(image.filetype()).orElseThrow(() -> new IllegalArgumentException(
                "Error generating the URL of curtin's image file. No image could be found for the given selection: os="
                        + image.os() + ", arch=" + image.architecture() + ", subarch=" + image.subarch() + ", series="
                        + image.release() + ", purpose=xinstall."));
        if (!m.architecture().equals(image.architecture())) {
            throw new IllegalArgumentException("image " + image.os() + "/" + image.release() + " is for "
                    + image.architecture() + ", machine " + m.hostname() + " is " + m.architecture());
        }
        checkLicence(handler, image, s);
        BaseImage base = BaseImage.of(image, handler, s, registry);
        List<String> warnings = new ArrayList<>();

        // the ephemeral environment is the base itself when that OS commissions, otherwise the commissioning one
        String ephemeralRelease = base.bootsEphemeral() ? base.release() : s.commissioningRelease();
        String ephemeralOs = base.bootsEphemeral() ? base.os() : s.commissioningOs();

        List<ConfigDocument> docs = new ArrayList<>();
        docs.add(curtin("storage", Maps.of("partitioning_commands",
                Maps.of("builtin", List.of("curtin", "block-meta", "custom")),
                "storage", StorageV1.storage(m, base.os(), base.release(), sourceType.startsWith("dd-")))));
        if (base.handler().packageProxy() == PackageProxy.APT) {
            docs.add(curtin("apt", CurtinDocuments.apt(base, m, s)));
        }
        docs.add(curtin("reporting", CurtinDocuments.reporting(s, m)));

        NetworkPlan plan = NetworkPlan.of(m);
        int networkVersion = networkVersion(base, s);
        if (!base.handler().appliesNetworkConfig()) {
            warnings.add("Custom network configuration is not supported on " + base.os() + "/" + base.release()
                    + "; the image must configure its network itself");
        }
        Map<String, Object> network = networkVersion == 2 ? NetworkV2.network(plan, base.atLeast("18.04"))
                : NetworkV1.network(plan);
        docs.add(curtin("network", Maps.of("network_commands",
                Maps.of("builtin", List.of("curtin", "net-meta", "custom")), "network", network)));
        Long swap = m.storage().swapSize();
        if (swap != null && !image.custom()) {
            // unset leaves curtin's default; custom images bring their own
            docs.add(curtin("swap", Maps.of("swap", Maps.of("size", swap + "B"))));
        }
        if (!image.custom() && handler.packageProxy() == PackageProxy.APT) {
            // curtin installs the kernel package of a synced image; custom images bring their own kernel
            docs.add(curtin("kernel", CurtinDocuments.kernel(m)));
        }
        if (s.curtinVerbose()) {
            docs.add(curtin("verbosity", Maps.of("verbosity", 3, "showtrace", true)));
        }
        docs.add(curtin("cloudconfig", CurtinDocuments.cloudconfig(s, m)));
        docs.add(curtin("kernel-crash-dumps", Maps.of("kernel-crash-dumps",
                Maps.of("enabled", s.kernelCrashDumps()))));

        Templates.Rendered rendered = templates.render(
                TemplateLookup.names(image.os(), m.architecture(), m.subarch(), image.release(), m.hostname(),
                        s.commissioningOs()),
                templateModel(m, image, base, s));
        docs.add(curtin("main", MainDocument.complete(rendered, m, image, base, s)));

        docs.add(new ConfigDocument("cloud-config-installed", Kind.CLOUD_CONFIG,
                Yaml.cloudConfig(CurtinDocuments.installedCloudConfig(s, m))));
        docs.add(new ConfigDocument("cloud-config-ephemeral", Kind.CLOUD_CONFIG,
                Yaml.cloudConfig(CurtinDocuments.ephemeralCloudConfig(s, m))));
        docs.add(new ConfigDocument("cloud-config-debconf", Kind.CLOUD_CONFIG,
                Yaml.cloudConfig(CurtinDocuments.localCloudConfig(s, m))));
        if (networkVersion == 2) {
            docs.add(new ConfigDocument("netplan", Kind.NETPLAN, Yaml.write(Maps.of("network", network))));
        }
        return new DeploymentConfig(ephemeralOs, ephemeralRelease, ImageSource.url(image, sourceType, s),
                networkVersion, docs, warnings);
    }

    /** The base handler's version for the base release (source routing from 18.04 is decided by the caller). */
    private static int networkVersion(BaseImage base, DeploySettings s) {
        if (s.forceV1Network()) {
            return 1;
        }
        return base.handler().networkConfigVersion(base.release()) == 2 ? 2 : 1;
    }

    private static void checkLicence(OsHandler handler, DeployImage image, DeploySettings s) {
        if (!handler.requiresLicenceKey(image.release())) {
            return;
        }
        String key = s.licenceKey();
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(image.os() + "/" + image.release() + " needs a licence key");
        }
        if (!handler.isLicenceKeyValid(image.release(), key)) {
            // never echo the key itself
            throw new IllegalArgumentException("the licence key given for " + image.os() + "/" + image.release()
                    + " is not valid");
        }
    }

    private static Map<String, Object> templateModel(Machine m, DeployImage image, BaseImage base, DeploySettings s) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("hostname", m.hostname());
        node.put("system_id", m.systemId());
        node.put("domain", m.domain());
        node.put("fqdn", m.hostname() + "." + m.domain());
        node.put("architecture", m.architecture());
        node.put("subarch", m.subarch());
        node.put("boot_method", m.bootMethod().name().toLowerCase(java.util.Locale.ROOT));
        String host = hostOf(s.serverUrl());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("osystem", base.os());
        model.put("release", base.release());
        model.put("image_osystem", image.os());
        model.put("image_release", image.release());
        model.put("server_host", host);
        model.put("server_url", s.serverUrl());
        model.put("syslog_host_port", host + ":5247");
        model.put("http_proxy", s.httpProxy() == null ? "" : s.httpProxy());
        model.put("node", node);
        model.put("node_disable_pxe_url", s.serverUrl() + "metadata/latest/by-id/" + m.systemId() + "/");
        model.put("node_disable_pxe_data", "op=netboot_off");
        model.put("license_key", s.licenceKey() == null ? "" : s.licenceKey());
        model.put("debconf_lines", CurtinDocuments.debconf(s, m));
        return model;
    }

    private static String hostOf(String url) {
        try {
            String h = java.net.URI.create(url).getHost();
            return h == null ? "" : h;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static ConfigDocument curtin(String name, Map<String, Object> content) {
        return new ConfigDocument(name, Kind.CURTIN, Yaml.write(content));
    }
}
