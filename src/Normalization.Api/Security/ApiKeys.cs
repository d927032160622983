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
    const string NameItem = "normalization.apiKeyName";
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

    public static string PostedBy(HttpContext http) => http.Items[NameItem] as string ?? "anonymous";

    /// <summary>Middleware: every non-GET request under /api must carry a valid key.</summary>
    public static async Task Guard(HttpContext http, Func<Task> next)
    {
        var isWrite = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method));
        if (isWrite && http.Request.Path.StartsWithSegments("/api"))
        {
            var keys = http.RequestServices.GetRequiredService<ApiKeys>();
            var name = keys.Authenticate(http.Request.Headers[Header]);
            if (name is null)
            {
                var missing = string.IsNullOrEmpty(http.Request.Headers[Header]);
                await Problems.Of(StatusCodes.Status401Unauthorized, missing ? "api_key_missing" : "api_key_invalid", "An API key is required to write.",
                    $"Send a valid key in the {Header} header. Reads are open.").ExecuteAsync(http);
                return;
            }
            http.Items[NameItem] = name;
        }
        await next();
    }
}
