using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Tests.Support;
using Normalization.Domain.Validation;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Validation;

/// <summary>
/// ValidationContext for a whole record read narrowly (the store's whole-record validation): only the bodies
/// <see cref="ValidationContext.NeedsBody"/> names are registered in full, every other event from what the index holds
/// (id, type, date) — and events are judged exactly as against the context of every event.
/// </summary>
public class ValidationContextTests
{
    static readonly DateOnly Today = D("2025-04-03");

    static ValidationContext Narrow(IEnumerable<NegotiationEvent> history)
    {
        var ctx = new ValidationContext(RandomHistory.Opening, Today);
        foreach (var e in history)
            if (ValidationContext.NeedsBody(e.Type)) ctx.Register(e);
            else ctx.RegisterKnownEvent(e.EventId, e.Type, retracted: false, e.OccurredOn);
        return ctx;
    }

    /// <summary>New events (fresh ids) and retractions and corrections of the record's events, to judge against it.</summary>
    static Gen<NegotiationEvent[]> Candidates(NegotiationEvent[] record) =>
        Gen.Select(RandomHistory.Events, Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 2], Gen.Int[0, 400]).Array[1, 20], (fresh, picks) =>
        {
            var next = 5000;
            var list = fresh.Select(e => e with { EventId = Id(++next) }).ToList<NegotiationEvent>();
            foreach (var (pick, kind, day) in picks)
            {
                if (record.Length == 0) break;
                var target = record[pick % record.Length];
                var on = DomainDate.FromDate(new DateOnly(2024, 6, 1).AddDays(day / 2));
                NegotiationEvent amendment = kind == 0 || target is EventRetracted or EventCorrected
                    ? new EventRetracted { TargetEventId = target.EventId, Reason = "r" }
                    // A corrected version dated elsewhere (kind 2): its dates are judged against the record's closings.
                    : new EventCorrected { TargetEventId = target.EventId, Correction = target with { Note = "c", OccurredOn = kind == 2 ? on : target.OccurredOn } };
                list.Insert(pick % (list.Count + 1), amendment with { EventId = Id(++next), OccurredOn = on, Actor = US });
            }
            return list.ToArray();
        });

    [Fact]
    public void Given_a_record_When_its_context_registers_only_the_bodies_it_needs_Then_every_event_is_judged_as_against_the_full_context()
    {
        BatchValidatorTests.ValidFile.SelectMany(record => Candidates(record).Select(candidates => (record, candidates))).Sample(t =>
        {
            var (record, candidates) = t;
            // Given the context of every event, and the narrow one
            var full = ValidationContext.For(RandomHistory.Opening, record, Today);
            var narrow = Narrow(record);

            // When the same candidates are judged one after the other against each (each accepted one is registered)
            // Then every verdict is the same
            for (var i = 0; i < candidates.Length; i++)
            {
                var a = new List<FieldError>();
                var b = new List<FieldError>();
                var acceptedFull = EventValidator.Validate(candidates[i], $"events[{i}]", full, a);
                var acceptedNarrow = EventValidator.Validate(candidates[i], $"events[{i}]", narrow, b);
                if (acceptedFull != acceptedNarrow || !a.Select(x => $"{x.Path} {x.Code}").SequenceEqual(b.Select(x => $"{x.Path} {x.Code}"))) return false;
            }
            return true;
        }, iter: 300);
    }
}
