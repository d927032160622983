using System.Security.Cryptography;
using System.Text;
using Normalization.Api.Http;

namespace Normalization.Api.Security;

/// <summary>
/// Writes need an API key in <c>X-Api-Key</c>. Keys are configured as <c>ApiKeys:{name} = sha256(key) as lower-case hex</c>;
/// the key itself is never stored. Comparison is constant-time. The key's name is recorded as who posted an event.
/// </summary>
public sealed class ApiKeys
{
    public const string Header = "X-Api-Key";
    readonly List<(string Name, byte[] Hash)> _keys;

    public ApiKeys(IConfiguration configuration)
    {
        _keys = configuration.GetSection("ApiKeys").GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value) && c.Value!.Trim().Length == 64)
            .Select(c => (c.Key, Convert.FromHexString(c.Value!.Trim())))
            .ToList();
    }

    public bool Any => _keys.Count > 0;

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The name of the key, or null. Every configured hash is compared, in constant time.</summary>
    public string? Authenticate(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512) return null;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? name = null;
        foreach (var (n, h) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, h)) name ??= n;
        return name;
    }

    /// <summary>Who is writing: the authenticated key's name (<see cref="ApiKeyAuthentication"/>), or "anonymous".</summary>
    public static string PostedBy(System.Security.Claims.ClaimsPrincipal user) => user.Identity is { IsAuthenticated: true, Name: { } name } ? name : "anonymous";
}
