using System.Text.Json;
using CsCheck;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// The board row's upcoming stage changes (<see cref="BoardEntry.UpcomingOf"/> on the last event's day), built without copying the settled history,
/// are exactly what the stage history a window past the pending day says of the days after it (the rule they replace).
/// </summary>
public sealed class BoardUpcomingTests
{
    static readonly DateOnly From = new(2020, 1, 1);

    static NegotiationOpened Opening() => new()
    {
        Id = "us-tb", Title = "US – TB",
        Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "TB", Name = "Taliban" }],
    };

    /// <summary>Contacts, hostility and relations — the facts whose windows open and expire — on a given day.</summary>
    static NegotiationEvent Event(int kind, int day) => (kind switch
    {
        0 => new TalksHeld { Participants = ["US", "TB"], Level = TalksLevel.Exploratory, Location = "Doha" },
        1 => new ThreatIssued { Quote = "…" },
        2 => new RelationsEstablished(),
        3 => new RelationsSevered(),
        4 => new StatementIssued { Tone = Tone.Positive },
        _ => (NegotiationEvent)new MilitaryStrike(),
    }) with
    {
        EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(From.AddDays(day)), Actor = "US", Target = "TB", Confidence = Confidence.Confirmed,
    };

    /// <summary>The rule as the board applied it before (as JSON, as the board row stores it: a transition's event ids are a list compared by reference).</summary>
    static string ByTheRule(FoldAccumulator head)
    {
        var at = head.PendingDate ?? DateOnly.MinValue;
        return Json(head.StageHistoryAt(at == DateOnly.MinValue ? at : at.AddDays(head.Options.WindowDays + 1)).Where(t => t.On > at).ToList());
    }

    static string Json(List<StageTransition> transitions) => JsonSerializer.Serialize(transitions, EventJson.Options);

    [Fact]
    public void Given_an_opened_negotiation_When_nothing_is_folded_Then_upcoming_is_what_the_rule_gives()
    {
        var head = FoldAccumulator.Start(Opening());

        Json(BoardEntry.UpcomingOf(head, head.PendingDate ?? DateOnly.MinValue)).ShouldBe(ByTheRule(head));
    }

    [Fact]
    public void Given_random_histories_When_each_event_is_folded_Then_upcoming_equals_the_stage_history_a_window_past_the_pending_day()
    {
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 2_000]).List[1, 40].Sample(events =>
        {
            var head = FoldAccumulator.Start(Opening());
            foreach (var e in events.Select(x => Event(x.Item1, x.Item2)).OrderBy(e => e, DomainOrder.Instance))
            {
                head.Apply(e);
                Json(BoardEntry.UpcomingOf(head, head.PendingDate ?? DateOnly.MinValue)).ShouldBe(ByTheRule(head));
            }
        });
    }

    [Fact]
    public void Given_talks_When_their_window_is_still_open_Then_its_expiry_is_upcoming()
    {
        var head = FoldAccumulator.Start(Opening());
        head.Apply(Event(0, 0));

        var upcoming = BoardEntry.UpcomingOf(head, head.PendingDate ?? DateOnly.MinValue);

        upcoming.ShouldNotBeEmpty();
        Json(upcoming).ShouldBe(ByTheRule(head));
        upcoming.ShouldAllBe(t => t.On > head.PendingDate);
    }
}
