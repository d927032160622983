using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Tests.Support;

/// <summary>
/// Test data: <c>Given.Negotiation()</c> opens a US–TB negotiation (mediator QA, empty baseline unless told);
/// each <c>Has…</c> adds an event with the next fixed GUID (…0001, …0002, …), Confirmed unless told.
/// </summary>
public static class Given
{
    public const string US = "US";
    public const string TB = "TB";

    public static NegotiationBuilder Negotiation(Baseline? baseline = null) => new(new NegotiationOpened
    {
        Id = "us-tb",
        Title = "US – TB",
        Parties = [new Party { Code = US, Name = "United States" }, new Party { Code = TB, Name = "Taliban" }],
        Mediators = [new Party { Code = "QA", Name = "Qatar" }],
        Baseline = baseline ?? new Baseline(),
    });

    /// <summary>A fixed GUID: 00000000-0000-0000-0000-00000000000n.</summary>
    public static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");

    public static DateOnly D(string date) => DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class NegotiationBuilder(NegotiationOpened opening)
{
    int _next;
    public NegotiationOpened Opening { get; } = opening;
    public List<NegotiationEvent> Events { get; } = [];
    public Guid LastId => Events[^1].EventId;

    /// <summary>Adds <paramref name="e"/> with the envelope given here (id: the next fixed GUID unless the event has one).</summary>
    public NegotiationBuilder Has(string on, NegotiationEvent e, string actor = Given.US, string? target = Given.TB,
        Confidence confidence = Confidence.Confirmed)
    {
        Events.Add(Envelope(on, e, actor, target, confidence));
        return this;
    }

    public NegotiationEvent Envelope(string on, NegotiationEvent e, string actor = Given.US, string? target = Given.TB,
        Confidence confidence = Confidence.Confirmed) =>
        e with
        {
            EventId = e.EventId == Guid.Empty ? Given.Id(++_next) : e.EventId,
            OccurredOn = DomainDate.Parse(on),
            Actor = actor,
            Target = target,
            Confidence = confidence,
        };

    /// <summary>Talks between US and TB.</summary>
    public NegotiationBuilder HasTalks(string on, Confidence confidence = Confidence.Confirmed) =>
        Has(on, new TalksHeld { Participants = [Given.US, Given.TB], Level = TalksLevel.Exploratory, Location = "Doha" }, Given.US, Given.TB, confidence);

    /// <summary>A cooperative gesture by <paramref name="by"/>: a goodwill prisoner release to the other party.</summary>
    public NegotiationBuilder HasGesture(string by, string on, Confidence confidence = Confidence.Confirmed) =>
        Has(on, new PrisonerReleased { Person = "Someone", Terms = ReleaseTerms.Goodwill }, by, Other(by), confidence);

    /// <summary>A hostile act: <paramref name="by"/> strikes the other party.</summary>
    public NegotiationBuilder HasStrike(string by, string on, Confidence confidence = Confidence.Confirmed) =>
        Has(on, new MilitaryStrike { TargetDescription = "a compound", Casualties = 1 }, by, Other(by), confidence);

    public NegotiationBuilder HasRetraction(Guid target, string on, string reason = "wrong") =>
        Has(on, new EventRetracted { TargetEventId = target, Reason = reason }, Given.US, null);

    public NegotiationBuilder HasCorrection(Guid target, string on, NegotiationEvent correction) =>
        Has(on, new EventCorrected { TargetEventId = target, Correction = correction }, Given.US, null);

    public string Other(string code) => Opening.OtherParty(code)!;

    public NegotiationState At(string asOf, FoldOptions? options = null) =>
        NegotiationFold.StateAsOf(Opening, Events, Given.D(asOf), options);

    public FoldAccumulator FoldAll(FoldOptions? options = null) => NegotiationFold.FoldAll(Opening, Events, options);
}

public static class StateJson
{
    public static string Of<T>(T value) => JsonSerializer.Serialize(value, EventJson.Options);

    /// <summary>The parts of a state compared by the property tests: stage, since, why, history, ledger, momentum, counts.</summary>
    public static string Comparable(NegotiationState s) => Of(new
    {
        s.Stage,
        s.StageSince,
        s.Why,
        s.StageHistory,
        Ledger = s.Ledger,
        s.Momentum,
        s.EventCount,
        s.LastEventOn,
        s.Representation,
        s.CoveredUntil,
        s.Extrapolated,
    });
}

public static class StageHistoryExtensions
{
    public static string Describe(this IEnumerable<StageTransition> history) =>
        string.Join(" → ", history.Select(t => t.On is null ? $"{t.To}" : $"{t.To} {t.On:yyyy-MM-dd}"));
}
