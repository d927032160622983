using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Normalization.Reliability;

/// <summary>The built API (Release) as a process on a loopback port, against the throwaway cluster.</summary>
public sealed class ApiProcess : IAsyncDisposable
{
    public const int Keys = 8;
    public static string Key(int i) => $"reliability-key-{i % Keys}-not-a-secret";
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    readonly string _dll;
    readonly string _contentRoot;
    readonly string _connectionString;
    readonly string _log;
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public Process? Process { get; private set; }
    public int Starts { get; private set; }

    public ApiProcess(string repoRoot, string configuration, string connectionString, string log)
    {
        _contentRoot = Path.Combine(repoRoot, "src", "Normalization.Api");
        _dll = Path.Combine(_contentRoot, "bin", configuration, "net10.0", "Normalization.Api.dll");
        if (!File.Exists(_dll)) throw new FileNotFoundException($"Build the API first ({_dll}).");
        _connectionString = connectionString;
        _log = log;
        Port = Cluster.FreePort();
    }

    public async Task StartAsync(HttpClient http)
    {
        if (Starts == 0) await ApplySchemaAsync();
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _contentRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(_dll);
        psi.Environment["ASPNETCORE_URLS"] = BaseUrl;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ConnectionStrings__Normalization"] = _connectionString;
        psi.Environment["Normalization__LoadSeedData"] = "false";
        psi.Environment["Normalization__RateLimit__WritesPerSecond"] = "100000";
        psi.Environment["Normalization__RateLimit__Burst"] = "100000";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        for (var i = 0; i < Keys; i++) psi.Environment[$"ApiKeys__reliability{i}"] = Hash(Key(i));
        var p = System.Diagnostics.Process.Start(psi)!;
        var log = new StreamWriter(_log, append: true) { AutoFlush = true };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Process = p;
        Starts++;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new InvalidOperationException($"The API exited at start ({p.ExitCode}); see {_log}.");
            try
            {
                using var r = await http.GetAsync($"{BaseUrl}/health");
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("The API did not become healthy within 120 s.");
    }

    /// <summary>The deploy step before the first start: in Production the app does not create or migrate its schema, db-apply does.</summary>
    async Task ApplySchemaAsync()
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _contentRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(_dll);
        psi.ArgumentList.Add("db-apply");
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ConnectionStrings__Normalization"] = _connectionString;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await File.AppendAllTextAsync(_log, await output + await errors);
        if (p.ExitCode != 0) throw new InvalidOperationException($"db-apply failed ({p.ExitCode}); see {_log}.");
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public void Kill()
    {
        Process?.Kill(entireProcessTree: true);
        Process?.WaitForExit(10_000);
    }

    public long RssBytes()
    {
        if (Process is null || Process.HasExited) return 0;
        foreach (var line in File.ReadLines($"/proc/{Process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }
}
