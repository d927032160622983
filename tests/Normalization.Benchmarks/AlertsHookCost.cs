using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Alerts.Subscribing;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;

namespace Normalization.Benchmarks;

/// <summary>
/// Section 12 (issue 18): what alerts cost an append. Every append here changes the stage (talks on a fresh negotiation:
/// Estrangement → Exploratory, and a window expiry a year on to schedule), so the hook records a <c>StageChanged</c> and a
/// scheduled <c>WindowExpiryDue</c> in the append's transaction; with 10 matching subscriptions the fan-out and 10 signed
/// POSTs to a loopback receiver per change run in the background of the next appends.
/// </summary>
public sealed partial class Measurements
{
    async Task<Section> AlertsHookCostAsync()
    {
        log.WriteLine("12. alerts hook cost");
        var perPhase = o.Quick ? 4 : 40;
        var s = new Section("12", "Alerts hook cost", $"One client appending one talks event (`NegotiationStore.AppendAsync`) to each of {perPhase} fresh negotiations " +
            "per phase — each append a stage change, recorded with a scheduled expiry in the append's transaction (Wolverine's outbox) — with 0 and then with 10 " +
            "subscriptions matching every one of them (webhooks to a receiver on loopback answering 200). The two phases alternate in each run; p50 per phase, median over runs.");
        using var receiver = new HttpListener();
        var port = FreePort();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        var received = 0;
        var serving = Task.Run(async () =>
        {
            while (receiver.IsListening)
            {
                HttpListenerContext c;
                try { c = await receiver.GetContextAsync(); } catch (Exception) { return; }
                Interlocked.Increment(ref received);
                c.Response.StatusCode = 200;
                c.Response.Close();
            }
        });

        var documents = env.Host.Services.GetRequiredService<IDocumentStore>();
        var party = "AH";
        var n = 0;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        async Task<double> PhaseAsync()
        {
            var ids = new List<string>();
            for (var k = 0; k < perPhase; k++)
            {
                var id = $"hook-{n++}";
                var opening = new NegotiationOpened
                {
                    Id = id, Title = $"Alerts hook {id}",
                    Parties = [new Party { Code = party, Name = "Alerted" }, new Party { Code = "BH", Name = "Other" }],
                };
                if (!await env.Store.CreateAsync(opening, "bench")) throw new InvalidOperationException($"create {id}");
                ids.Add(id);
            }
            var latencies = new List<double>();
            foreach (var id in ids)
            {
                var talks = new TalksHeld
                {
                    EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(today.AddDays(-10)), Actor = party, Target = "BH",
                    Confidence = Confidence.Confirmed, Participants = [party, "BH"], Level = TalksLevel.Exploratory, Location = "Doha",
                };
                var t0 = Stopwatch.GetTimestamp();
                var outcome = await env.Store.AppendAsync(id, null, [talks], "bench");
                latencies.Add(Ms(Stopwatch.GetTimestamp() - t0));
                if (outcome is not AppendOutcome.Appended a || a.Stage == a.PreviousStage) throw new InvalidOperationException($"append {id}: {outcome} (no stage change)");
            }
            return Percentile.Of(latencies, 50);
        }

        var none = new List<double>(); var ten = new List<double>();
        for (var r = -1; r < o.Runs; r++)
        {
            var a = await PhaseAsync();
            var subscriptions = Enumerable.Range(0, 10).Select(i => new Subscription
            {
                Id = Guid.NewGuid(), Url = $"http://127.0.0.1:{port}/hook", Secret = "bench-secret-" + i, Party = party, CreatedBy = "bench", CreatedAt = DateTimeOffset.UtcNow,
            }).ToList();
            await using (var session = documents.LightweightSession()) { session.Store(subscriptions.ToArray()); await session.SaveChangesAsync(); }
            var b = await PhaseAsync();
            await using (var session = documents.LightweightSession()) { foreach (var sub in subscriptions) session.Delete(sub); await session.SaveChangesAsync(); }
            if (r < 0) continue; // warm-up
            none.Add(a); ten.Add(b);
        }
        var sn = Summary.Of(none); var st = Summary.Of(ten);
        s.Rows.Add(new Row("stage-changing append", "append p50 (ms)", st, sn, "the same with 0 subscriptions", st.Median / sn.Median, "× the append with no subscription",
            "≤ 1.5×", st.Median / sn.Median <= 1.5));
        // Let the deliveries in flight land before the receiver closes (they would be retried: noise for later sections).
        for (var last = -1; last != received;) { last = received; await Task.Delay(2000); }
        s.Notes.Add($"The receiver got {received:N0} POSTs. A change handled after its phase's subscriptions were removed is not delivered (a removed " +
            "subscription drops its pending deliveries), so fewer than 10 per change arrive: the deliveries lag the appends on this machine. The hook itself " +
            "(comparing the stage history before and after, the outbox rows of the change and of its scheduled expiry) runs with or without subscriptions; " +
            "subscriptions add the fan-out and the signed POSTs, which run after the commit on the same two cores and the same database — what the ratio shows.");
        receiver.Stop();
        await serving;
        return s;
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
