package io.metalforge.power.webhook.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerFailure.Kind;
import io.metalforge.api.power.PowerField;
import io.metalforge.api.power.PowerField.Choice;
import io.metalforge.api.power.PowerField.FieldType;
import io.metalforge.api.power.PowerField.Scope;
import io.metalforge.api.power.PowerSettings;
import io.metalforge.api.power.PowerState;
import io.metalforge.api.power.http.BmcHttp;

/**
 * MAAS's webhook power type (§7.6): POST to power on and off, GET to query; the query answer is matched against the
 * on and off regular expressions. A 404 is retried once with a trailing "/"; redirects are followed.
 */
@Component(property = PowerDriver.PROPERTY_NAME + "=" + WebhookPowerDriver.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class WebhookPowerDriver implements PowerDriver {

    static final String NAME = "webhook";
    static final String USER_AGENT = "MAAS Metalforge/0.1";
    /** Query answers are read up to this size; the regular expressions run on no more. */
    static final int MAX_BODY = 64 * 1024;

    static final PowerDriverDescriptor DESCRIPTOR = new PowerDriverDescriptor(NAME, "Webhook", false, false, true,
            List.of(field("power_on_uri", "URI to power on the node", true),
                    new PowerField("power_on_regex", "Regex to confirm the node is on", true, FieldType.STRING,
                            List.of(), "status.*\\:.*running", Scope.BMC, false),
                    field("power_off_uri", "URI to power off the node", true),
                    new PowerField("power_off_regex", "Regex to confirm the node is off", true, FieldType.STRING,
                            List.of(), "status.*\\:.*stopped", Scope.BMC, false),
                    field("power_query_uri", "URI to query the nodes power status", true),
                    field("power_user", "Power user", false),
                    new PowerField("power_pass", "Power password", false, FieldType.PASSWORD, List.of(), "",
                            Scope.BMC, true),
                    new PowerField("power_token", "Power token, will be used in place of power_user and power_pass",
                            false, FieldType.PASSWORD, List.of(), "", Scope.BMC, true),
                    new PowerField("power_verify_ssl", "Verify SSL connections with system CA certificates", true,
                            FieldType.CHOICE, List.of(new Choice("n", "No"), new Choice("y", "Yes")), "n",
                            Scope.BMC, false)));

    private final Duration timeout;
    // Made on first use: each client starts a selector thread and sets up TLS, which cost a tenth of the
    // appliance's start-up thread when done as the power service activated this driver.
    private HttpClient verifying;
    private HttpClient trusting;

    public WebhookPowerDriver() {
        this(Duration.ofSeconds(30));
    }

    WebhookPowerDriver(Duration timeout) {
        this.timeout = timeout;
    }

    /** MAAS verifies webhook certificates only when power_verify_ssl is "y". */
    private synchronized HttpClient client(boolean verify) {
        if (verify) {
            if (verifying == null) {
                verifying = BmcHttp.verifyingClient(timeout, HttpClient.Redirect.NORMAL);
            }
            return verifying;
        }
        if (trusting == null) {
            trusting = BmcHttp.trustingClient(timeout, HttpClient.Redirect.NORMAL);
        }
        return trusting;
    }

    private static PowerField field(String name, String label, boolean required) {
        return new PowerField(name, label, required, FieldType.STRING, List.of(), "", Scope.BMC, false);
    }

    @Override
    public PowerDriverDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** URLs and regular expressions that could never be used are refused when the settings are saved. */
    @Override
    public void validate(Map<String, String> settings) throws PowerFailure {
        for (String field : List.of("power_on_uri", "power_off_uri", "power_query_uri")) {
            uri(settings, field);
        }
        pattern(settings, "power_on_regex");
        pattern(settings, "power_off_regex");
    }

    @Override
    public void powerOn(Map<String, String> settings) throws PowerFailure {
        Map<String, String> s = PowerSettings.resolve(DESCRIPTOR, settings);
        send(s, "POST", "power_on_uri");
    }

    @Override
    public void powerOff(Map<String, String> settings) throws PowerFailure {
        Map<String, String> s = PowerSettings.resolve(DESCRIPTOR, settings);
        send(s, "POST", "power_off_uri");
    }

    @Override
    public void powerReset(Map<String, String> settings) throws PowerFailure {
        throw new PowerFailure(Kind.ACTION, "the webhook driver cannot reset; power off and on instead");
    }

    @Override
    public PowerState query(Map<String, String> settings) throws PowerFailure {
        Map<String, String> s = PowerSettings.resolve(DESCRIPTOR, settings);
        Pattern on = pattern(s, "power_on_regex");
        Pattern off = pattern(s, "power_off_regex");
        String body = send(s, "GET", "power_query_uri");
        if (on.matcher(body).find()) {
            return PowerState.ON;
        }
        if (off.matcher(body).find()) {
            return PowerState.OFF;
        }
        return PowerState.UNKNOWN;
    }

    @Override
    public void setPxeBootOnce(Map<String, String> settings) throws PowerFailure {
        throw new PowerFailure(Kind.ACTION, "the webhook driver cannot choose the boot device");
    }

    private String send(Map<String, String> s, String method, String uriField) throws PowerFailure {
        URI uri = uri(s, uriField);
        HttpResponse<InputStream> response = exchange(s, method, uri, uriField);
        if (response.statusCode() == 404 && !uri.getRawPath().endsWith("/")) {
            BmcHttp.discard(response);
            response = exchange(s, method, withTrailingSlash(uri), uriField);
        }
        String body = new String(BmcHttp.readBounded(response, MAX_BODY, uriField), StandardCharsets.UTF_8);
        if (response.statusCode() >= 400) {
            throw new PowerFailure(Kind.ACTION, uriField + " answered HTTP " + response.statusCode());
        }
        return body;
    }

    private HttpResponse<InputStream> exchange(Map<String, String> s, String method, URI uri, String uriField)
            throws PowerFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("User-Agent", USER_AGENT).header("Accept", "application/json")
                .header("System_Id", s.getOrDefault(SYSTEM_ID, ""));
        String token = s.getOrDefault("power_token", "");
        String user = s.getOrDefault("power_user", "");
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        } else if (!user.isEmpty()) {
            request.header("Authorization", BmcHttp.basicAuthorization(user, s.getOrDefault("power_pass", "")));
        }
        request.method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(""));
        HttpClient client = client("y".equals(s.get("power_verify_ssl")));
        return BmcHttp.send(client, request.build(), uriField, timeout);
    }

    private static URI uri(Map<String, String> s, String field) throws PowerFailure {
        try {
            URI uri = new URI(s.get(field));
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw PowerFailure.invalidSetting(field, field + " must be an http:// or https:// URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw PowerFailure.invalidSetting(field, field + " is not a valid URL");
        }
    }

    static URI withTrailingSlash(URI uri) throws PowerFailure {
        try {
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + path + "/"
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        } catch (URISyntaxException e) {
            throw new PowerFailure(Kind.SETTING, "bad URL path");
        }
    }

    private static Pattern pattern(Map<String, String> s, String field) throws PowerFailure {
        try {
            return Pattern.compile(s.get(field));
        } catch (PatternSyntaxException e) {
            throw PowerFailure.invalidSetting(field, field + " is not a valid regular expression");
        }
    }
}
