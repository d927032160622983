using System.Net;
using System.Net.Sockets;
using System.Text;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// A webhook on an IPv6 address listed in <c>Normalization:Alerts:AllowedHosts</c> (the fixture lists <c>::1</c>): the URL
/// writes it in brackets (<c>http://[::1]:port/</c>), the list without; the check at subscription and the one at every
/// connection must read it alike (docs/alerts.md, "Where a webhook may point").
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class Ipv6TargetTests(AppFixture app)
{
    [Fact]
    public async Task Given_a_subscription_to_a_listed_IPv6_address_When_the_stage_changes_Then_the_alert_is_delivered_there()
    {
        // Given a receiver on [::1] that answers 200 to every POST, and a subscription to it (accepted: ::1 is listed)
        using var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = 0;
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    var stream = client.GetStream();
                    var request = new StringBuilder();
                    var buffer = new byte[8192];
                    // Headers, then the body Content-Length announces (a small JSON alert).
                    while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer, stop.Token);
                        if (read == 0) break;
                        request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }
                    Interlocked.Increment(ref received);
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), stop.Token);
                }
            }
            catch (OperationCanceledException) { }
        });
        var id = await app.GivenNegotiation("ipv6");
        var (created, subscription) = await app.PostJson("/api/subscriptions", new { url = $"http://[::1]:{port}/hook", secret = "secret-ipv6", negotiationId = id });
        created.ShouldBe(201, subscription?.ToJsonString());

        // When the stage changes
        await app.GivenEvents(id, Talks(Day(30)));

        // Then the alert reaches the receiver and the delivery log says delivered
        var status = "";
        string? lastError = null;
        (await WebhookReceiver.Eventually(async () =>
        {
            var (_, body) = await app.GetJson($"/api/subscriptions/{subscription!["id"]}/deliveries", withKey: true);
            var row = body!["items"]!.AsArray().FirstOrDefault();
            status = row?["status"]?.GetValue<string>() ?? "";
            lastError = row?["lastError"]?.GetValue<string>();
            return status is "delivered" || lastError is not null;
        }, 15)).ShouldBeTrue("the delivery should be tried");
        stop.Cancel();
        status.ShouldBe("delivered", lastError);
        received.ShouldBe(1);
    }
}
