using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// A webhook receiver below HTTP on loopback: it accepts every connection, each on its own task, reads the request and
/// then <c>answer</c>s it — writes raw bytes, only hangs up, answers late or never — what no well-behaved server would, so
/// the delivery's log and its hold on connections can be checked. Counts the requests.
/// </summary>
public sealed class RawReceiver : IDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource _stop = new();
    readonly ConcurrentBag<TcpClient> _clients = [];
    int _requests;

    /// <summary>Starts listening; after <paramref name="answer"/> returns, the connection is shut down.</summary>
    public RawReceiver(Func<NetworkStream, CancellationToken, Task> answer)
    {
        _listener.Start();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _clients.Add(client);
                    _ = Task.Run(() => AnswerAsync(client, answer));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { }
        });
    }

    /// <summary>A receiver answering every request with <paramref name="response"/> (a status line and headers).</summary>
    public static RawReceiver Answering(string response) =>
        new((stream, ct) => stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(response), ct).AsTask());

    /// <summary>A receiver answering 200 (empty) after <paramref name="delay"/>, or never (null: silent until disposed).</summary>
    public static RawReceiver AnsweringAfter(TimeSpan? delay) => new(async (stream, ct) =>
    {
        await Task.Delay(delay ?? Timeout.InfiniteTimeSpan, ct);
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), ct);
    });

    async Task AnswerAsync(TcpClient client, Func<NetworkStream, CancellationToken, Task> answer)
    {
        try
        {
            await client.GetStream().ReadAtLeastAsync(new byte[8192], 1, throwOnEndOfStream: false, _stop.Token);
            Interlocked.Increment(ref _requests);
            await answer(client.GetStream(), _stop.Token);
            client.Client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException) { }
    }

    /// <summary>The URL to subscribe.</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";

    /// <summary>Requests read so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var c in _clients) c.Dispose();
        _stop.Dispose();
    }
}
