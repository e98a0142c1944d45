package io.metalforge.preseed.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.deploy.Machine;

/** The fixed curtin documents (apt, reporting, kernel, verbosity, cloudconfig, crash dumps) and the URLs they use. */
final class CurtinDocuments {

    static final String INSTALL_LOG = "/tmp/install.log";
    static final String ERROR_TARFILE = "/tmp/curtin-logs.tar";
    private static final String COMPONENTS = "main restricted universe multiverse";

    private CurtinDocuments() {
    }

    static String metadataUrl(DeploySettings s) {
        return s.serverUrl() + "metadata/";
    }

    static String statusUrl(DeploySettings s, Machine m) {
        return s.serverUrl() + "metadata/status/" + m.systemId();
    }

    /** The webhook the installer and cloud-init report progress to. */
    static Map<String, Object> webhook(DeploySettings s, Machine m) {
        return Maps.of("type", "webhook", "endpoint", statusUrl(s, m), "consumer_key", s.consumerKey(),
                "token_key", s.tokenKey(), "token_secret", s.tokenSecret());
    }

    static Map<String, Object> reporting(DeploySettings s, Machine m) {
        return Maps.of("reporting", Maps.of("maas", webhook(s, m)),
                "install", Maps.of("log_file", INSTALL_LOG, "error_tarfile", ERROR_TARFILE,
                        "post_files", List.of(INSTALL_LOG, ERROR_TARFILE)));
    }

    /** Ubuntu archive sources: deb822 from 24.04 on, the classic list before. */
    static Map<String, Object> apt(BaseImage base, Machine m, DeploySettings s) {
        String archive = m.architecture().startsWith("amd64") || m.architecture().startsWith("i386")
                ? "http://archive.ubuntu.com/ubuntu" : "http://ports.ubuntu.com/ubuntu-ports";
        String list;
        if (base.atLeast("24.04")) {
            list = "Types: deb\nURIs: " + archive + "\nSuites: $RELEASE $RELEASE-updates $RELEASE-backports\n"
                    + "Components: " + COMPONENTS + "\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\n"
                    + "Types: deb\nURIs: " + archive + "\nSuites: $RELEASE-security\nComponents: " + COMPONENTS
                    + "\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n";
        } else {
            StringBuilder b = new StringBuilder();
            for (String suite : List.of("$RELEASE", "$RELEASE-updates", "$RELEASE-security", "$RELEASE-backports")) {
                b.append("deb ").append(archive).append(' ').append(suite).append(' ').append(COMPONENTS).append('\n');
            }
            list = b.toString();
        }
        return Maps.of("apt", Maps.of("preserve_sources_list", false, "sources_list", list, "proxy", s.httpProxy()));
    }

    /** Kernel package for an Ubuntu subarch: ga/generic kernels, or the HWE kernel the subarch names. */
    static Map<String, Object> kernel(Machine m) {
        String sub = m.subarch();
        String pkg = sub.startsWith("hwe-") ? "linux-generic-" + sub : "linux-generic";
        return Maps.of("kernel", Maps.of("package", pkg, "mapping", Map.of()));
    }

    static Map<String, Object> cloudconfig(DeploySettings s, Machine m) {
        return Maps.of("cloudconfig", Maps.of(
                "maas-datasource", Maps.of("path", "/etc/cloud/cloud.cfg.d/90_maas_datasource.cfg",
                        "content", "datasource_list: [ MAAS ]\n"),
                "maas-cloud-config", Maps.of("path", "/etc/cloud/cloud.cfg.d/90_maas_cloud_config.cfg",
                        "content", Yaml.cloudConfig(datasource(s))),
                "maas-reporting", Maps.of("path", "/etc/cloud/cloud.cfg.d/90_maas_cloud_init_reporting.cfg",
                        "content", Yaml.cloudConfig(Maps.of("reporting", Maps.of("maas", webhook(s, m)))))));
    }

    static Map<String, Object> datasource(DeploySettings s) {
        return Maps.of("datasource", Maps.of("MAAS", Maps.of("consumer_key", s.consumerKey(), "metadata_url",
                metadataUrl(s), "token_key", s.tokenKey(), "token_secret", s.tokenSecret())));
    }

    /** The installed system's cloud-init configuration as one cloud-config, as the files above combine. */
    static Map<String, Object> installedCloudConfig(DeploySettings s, Machine m) {
        Map<String, Object> c = Maps.of("datasource_list", List.of("MAAS"));
        c.putAll(datasource(s));
        c.put("reporting", Maps.of("maas", webhook(s, m)));
        return c;
    }

    /** User data of the ephemeral environment while it deploys: what curtin needs, then reboot. */
    static Map<String, Object> ephemeralCloudConfig(DeploySettings s, Machine m) {
        Map<String, Object> c = Maps.of("packages", List.of("python3-packaging"));
        if (s.httpProxy() != null) {
            c.put("apt", Maps.of("proxy", s.httpProxy()));
        }
        c.put("reporting", Maps.of("maas", webhook(s, m)));
        c.put("power_state", Maps.of("mode", "reboot", "delay", "now", "timeout", 1800, "condition",
                "test ! -e /tmp/block-reboot"));
        return c;
    }

    /** cloud-init's local configuration given through debconf: MAAS reporting, hosts file, no cache reuse. */
    static Map<String, Object> localCloudConfig(DeploySettings s, Machine m) {
        return Maps.of("manage_etc_hosts", true, "manual_cache_clean", true, "reporting",
                Maps.of("maas", webhook(s, m)));
    }

    /** debconf lines for cloud-init and cloud-init-base. */
    static List<String> debconf(DeploySettings s, Machine m) {
        String creds = "oauth_consumer_key=" + s.consumerKey() + "&oauth_token_key=" + s.tokenKey()
                + "&oauth_token_secret=" + s.tokenSecret();
        // a debconf value is one line: escape backslashes, then newlines
        String local = Yaml.write(localCloudConfig(s, m)).replace("\\", "\\\\").replace("\n", "\\n");
        List<String> lines = new ArrayList<>();
        for (String pkg : List.of("cloud-init", "cloud-init-base")) {
            lines.add(pkg + "   cloud-init/datasources  multiselect MAAS");
            lines.add(pkg + "   cloud-init/maas-metadata-url  string " + metadataUrl(s));
            lines.add(pkg + "   cloud-init/maas-metadata-credentials  string " + creds);
            lines.add(pkg + "   cloud-init/local-cloud-config  string " + local);
        }
        return lines;
    }
}
