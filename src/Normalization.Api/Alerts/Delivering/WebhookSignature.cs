using System.Security.Cryptography;
using System.Text;

namespace Normalization.Api.Alerts.Delivering;

/// <summary>The <c>X-Normalization-Signature</c> header: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the subscription's secret (UTF-8).</summary>
public static class WebhookSignature
{
    public const string Header = "X-Normalization-Signature";

    /// <summary>The header value for <paramref name="body"/>.</summary>
    public static string Of(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string secret, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Of(body, secret)), Encoding.ASCII.GetBytes(header));
}
