using System.Security.Cryptography;
using System.Text;

namespace Normalization.Api.Security;

/// <summary>
/// Writes need an API key in <c>X-Api-Key</c>. Keys are configured as <c>ApiKeys:{name} = sha256(key) as lower-case hex</c>;
/// the key itself is never stored. Comparison is constant-time. The key's name is recorded as who posted an event.
/// </summary>
public sealed class ApiKeys
{
    public const string Header = "X-Api-Key";
    readonly List<(string Name, byte[] Hash)> _keys;

    /// <summary>The configured keys; an entry that is not a SHA-256 in hex stops the start (<see cref="Validate"/>).</summary>
    public ApiKeys(IConfiguration configuration)
    {
        _keys = Validate(configuration).Select(k => (k.Name, Convert.FromHexString(k.Hash))).ToList();
    }

    /// <summary>
    /// The configured <c>ApiKeys</c> entries (name, hash), each checked: its value must be the key's SHA-256 as 64 hex
    /// characters (surrounding blanks ignored; an empty value configures no key). Anything else — the key itself pasted
    /// instead of its hash, a hash cut short — throws, naming the entry (never its value, which may be the key): such a key
    /// could never authenticate, and the writers would only see 401s, or the first write would fail.
    /// </summary>
    public static IReadOnlyList<(string Name, string Hash)> Validate(IConfiguration configuration)
    {
        var keys = new List<(string, string)>();
        foreach (var entry in configuration.GetSection("ApiKeys").GetChildren())
        {
            var hash = entry.Value?.Trim() ?? "";
            if (hash.Length == 0) continue;
            if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
                throw new InvalidOperationException(
                    $"{entry.Path} must be the SHA-256 of the key as 64 hex characters (echo -n KEY | sha256sum), not the key itself; it has {hash.Length} characters{(hash.All(char.IsAsciiHexDigit) ? "" : ", not all hex digits")}.");
            keys.Add((entry.Key, hash.ToLowerInvariant()));
        }
        return keys;
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
