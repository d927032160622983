using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Normalization.Domain.Validation;

namespace Normalization.Api.Alerts.Subscribing;

/// <summary>
/// Where a webhook may point. A webhook is a request the server makes on a user's behalf, so a target must be http(s) and,
/// unless <see cref="AlertOptions.AllowedHosts"/> lists its host, resolve only to public addresses (no loopback, private,
/// link-local, shared-address, multicast or unspecified ranges) — the server-side request forgery checks of OWASP's SSRF
/// cheat sheet. The check runs when a subscription is created and again, on the address actually connected to, at every
/// delivery (<see cref="ConnectAsync"/>), so a name that later resolves elsewhere cannot reach an internal address.
/// </summary>
public sealed class WebhookTargets(IOptions<AlertOptions> options)
{
    HashSet<string> Allowed => new(options.Value.AllowedHosts.Select(HostKey), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A host as the allow list compares it: no blank, no final dot of a fully qualified name, and an IPv6 address without
    /// the brackets a URL writes it in — <c>Uri.IdnHost</c> drops them, a connection's <c>DnsEndPoint.Host</c> keeps them,
    /// and a setting may be written either way (<c>::1</c>, <c>[::1]</c>).
    /// </summary>
    static string HostKey(string host) => host.Trim().TrimEnd('.').TrimStart('[').TrimEnd(']');

    /// <summary>
    /// The shape of a webhook URL, judged without the network (so with the rest of a body: every error at once):
    /// required, url_invalid, url_scheme; null when it holds.
    /// </summary>
    public static FieldError? ShapeProblem(string? url, string path)
    {
        if (string.IsNullOrWhiteSpace(url)) return new(path, "required", $"{path} is required: the http(s) URL to POST alerts to.");
        // The input rules of every text field (docs/api.md): a blank around it or a control character is refused, not
        // trimmed or escaped by Uri into another address than the one sent.
        if (Strict.TextProblem(url) is { } text) return new(path, text.Code, $"{path} {text.Message}");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || url.Length > 2000)
            return new(path, "url_invalid", $"{path} must be an absolute URL of at most 2000 characters.");
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            return new(path, "url_scheme", $"{path} must be http or https.");
        if (!string.IsNullOrEmpty(uri.UserInfo)) return new(path, "url_invalid", $"{path} must not carry user information.");
        // Port 0 names no port a connection can reach: every delivery would fail until it is dead-lettered.
        if (uri.Port == 0) return new(path, "url_invalid", $"{path} must name a port from 1 to 65535 (or none).");
        return null;
    }

    /// <summary>The errors of a webhook URL (path <paramref name="path"/>): <see cref="ShapeProblem"/>'s, then host_not_allowed, host_unresolved, address_not_allowed.</summary>
    public async Task<List<FieldError>> CheckAsync(string? url, string path, CancellationToken ct)
    {
        if (ShapeProblem(url, path) is { } shape) return [shape];
        var uri = new Uri(url!, UriKind.Absolute);
        var host = HostKey(uri.IdnHost);
        var allowed = Allowed;
        if (allowed.Count > 0 && !allowed.Contains(host))
            return [new(path, "host_not_allowed", $"{path}: host '{host}' is not in Normalization:Alerts:AllowedHosts.")];
        IPAddress[] addresses;
        try { addresses = await ResolveAsync(host, ct); }
        catch (SocketException) { return [new(path, "host_unresolved", $"{path}: host '{host}' does not resolve.")]; }
        if (addresses.Length == 0) return [new(path, "host_unresolved", $"{path}: host '{host}' does not resolve.")];
        if (addresses.FirstOrDefault(a => !IsAllowed(host, a, allowed)) is { } refused)
            return [new(path, "address_not_allowed", $"{path}: host '{host}' resolves to {refused}, a private, loopback or reserved address; list the host in Normalization:Alerts:AllowedHosts to allow it.")];
        return [];
    }

    /// <summary>
    /// The connect step of the delivery <see cref="HttpClient"/> (SocketsHttpHandler.ConnectCallback): resolves the host,
    /// refuses addresses <see cref="CheckAsync"/> would refuse, and connects to the first allowed one.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = HostKey(context.DnsEndPoint.Host);
        var allowed = Allowed;
        if (allowed.Count > 0 && !allowed.Contains(host)) throw new HttpRequestException($"Host '{host}' is not in Normalization:Alerts:AllowedHosts.");
        var addresses = await ResolveAsync(host, ct);
        var usable = addresses.Where(a => IsAllowed(host, a, allowed)).ToArray();
        if (usable.Length == 0) throw new HttpRequestException($"Host '{host}' resolves to no allowed address.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);

    static bool IsAllowed(string host, IPAddress address, HashSet<string> allowed) =>
        IsPublic(address) || allowed.Contains(host) || allowed.Contains(address.ToString());

    /// <summary>True for a globally routable unicast address (not loopback, RFC 1918, link-local, CGNAT 100.64/10, ULA, multicast, unspecified).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                     || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                     || (b[0] == 169 && b[1] == 254)
                     || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                     || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                     || (b[0] & 0xfe) == 0xfc);
        }
        return false;
    }
}
