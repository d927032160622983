using System.Security.Cryptography;
using System.Text.Json;

namespace Normalization.Api.Security;

/// <summary>
/// When no key is configured, the run command creates a development key on first start, prints it once,
/// and keeps only its hash in the git-ignored data folder (.data/api-keys.json); later starts reuse the hash.
/// </summary>
public static class DevelopmentKey
{
    public static void AddTo(ConfigurationManager configuration, string dataDirectory, TextWriter console)
    {
        if (configuration.GetSection("ApiKeys").GetChildren().Any()) return;
        Directory.CreateDirectory(dataDirectory);
        var file = Path.Combine(dataDirectory, "api-keys.json");
        Dictionary<string, string> hashes;
        if (File.Exists(file))
            hashes = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file)) ?? [];
        else
        {
            var key = "nzdev_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            hashes = new() { ["development"] = ApiKeys.Hash(key) };
            File.WriteAllText(file, JsonSerializer.Serialize(hashes));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            console.WriteLine($"Created a development API key (shown once; only its hash is kept in {file}):");
            console.WriteLine($"  X-Api-Key: {key}");
        }
        configuration.AddInMemoryCollection(hashes.Select(h => KeyValuePair.Create<string, string?>($"ApiKeys:{h.Key}", h.Value)));
    }
}
