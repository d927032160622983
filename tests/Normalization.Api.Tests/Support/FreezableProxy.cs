using System.Net;
using System.Net.Sockets;

namespace Normalization.Api.Tests.Support;

/// <summary>
/// A TCP proxy on a loopback port in front of PostgreSQL. <see cref="Freeze"/> makes it a server that accepts connections and
/// never answers — what a frozen host or a network partition looks like to the app (a stopped server refuses at once, which
/// is a different fault): bytes in either direction are held, open connections stay open, new ones are accepted and left silent.
/// </summary>
public sealed class FreezableProxy : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly string _targetHost;
    readonly int _targetPort;
    readonly CancellationTokenSource _stop = new();
    readonly List<TcpClient> _clients = [];
    volatile bool _frozen;

    /// <summary>The proxy's port on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts a proxy to <paramref name="targetHost"/>:<paramref name="targetPort"/>.</summary>
    public FreezableProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>From now on nothing passes in either direction.</summary>
    public void Freeze() => _frozen = true;

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            lock (_clients) _clients.Add(client);
            if (_frozen) continue; // accepted and never answered
            var server = new TcpClient();
            try { await server.ConnectAsync(_targetHost, _targetPort, _stop.Token); }
            catch (Exception) { client.Dispose(); continue; }
            lock (_clients) _clients.Add(server);
            _ = PumpAsync(client.GetStream(), server.GetStream());
            _ = PumpAsync(server.GetStream(), client.GetStream());
        }
    }

    async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                while (_frozen) await Task.Delay(50, _stop.Token); // held, never delivered
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception) { } // either side closed, or the proxy stopped
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients) foreach (var c in _clients) c.Dispose();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
