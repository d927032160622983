using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// A TCP relay between a host and its PostgreSQL server that can be cut: until <see cref="Cut"/> it forwards bytes both
/// ways; after it, every open connection is closed and new ones are refused — PostgreSQL going away under a running app.
/// The app has one data source (MartenSetup), so an outage has to be simulated underneath it, not by swapping a pool.
/// </summary>
public sealed class DatabaseOutage : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly string _targetHost;
    readonly int _targetPort;
    readonly CancellationTokenSource _cut = new();
    readonly List<TcpClient> _open = [];
    readonly Task _accepting;

    public DatabaseOutage(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        _targetHost = target.Host!;
        _targetPort = target.Port;
        _listener.Start();
        target.Host = "127.0.0.1";
        target.Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        target.Timeout = 2;
        ConnectionString = target.ConnectionString;
        _accepting = AcceptAsync();
    }

    /// <summary>The same database, reached through the relay.</summary>
    public string ConnectionString { get; }

    public bool IsCut => _cut.IsCancellationRequested;

    /// <summary>Closes every relayed connection and stops listening: connects are refused from now on.</summary>
    public void Cut()
    {
        if (IsCut) return;
        _cut.Cancel();
        _listener.Stop();
        lock (_open)
        {
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
    }

    async Task AcceptAsync()
    {
        while (!IsCut)
        {
            TcpClient inbound;
            try { inbound = await _listener.AcceptTcpClientAsync(_cut.Token); }
            catch (Exception) { return; }
            _ = RelayAsync(inbound);
        }
    }

    async Task RelayAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        lock (_open)
        {
            if (IsCut) { inbound.Dispose(); outbound.Dispose(); return; }
            _open.Add(inbound);
            _open.Add(outbound);
        }
        try
        {
            await outbound.ConnectAsync(_targetHost, _targetPort, _cut.Token);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, _cut.Token), b.CopyToAsync(a, _cut.Token));
        }
        catch (Exception) { /* cut, or one side closed */ }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
            lock (_open) { _open.Remove(inbound); _open.Remove(outbound); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Cut();
        await _accepting;
        _cut.Dispose();
    }
}
