using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

using WhatIf = Normalization.Domain.WhatIf.WhatIf;

/// <summary>
/// What an analyst who builds a history in code can get wrong, and what the library then says. A trial saw an event
/// without <c>OccurredOn</c> — added to a branch, or in the history — throw "Year, Month, and Day parameters describe an
/// un-representable DateTime" (a change must come back in <c>Errors</c>, never thrown), and a negotiation with one party
/// throw IndexOutOfRangeException from deep in the fold.
/// </summary>
public class LibraryInputTests
{
    static readonly NegotiationOpened Opening = new()
    {
        Id = "us-vietnam-input", Title = "United States – Vietnam",
        Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "VN", Name = "Vietnam" }],
    };
    static readonly Guid Talks = Guid.Parse("7a1c0000-0000-0000-0000-000000000001");

    static Branch History() => WhatIf.From(Opening,
        [new TalksHeld { EventId = Talks, OccurredOn = DomainDate.Parse("1991-04"), Actor = "US", Target = "VN", Participants = ["US", "VN"] }])
        .Today(new DateOnly(2026, 12, 2));

    [Fact]
    public void Given_a_hypothetical_event_without_a_date_When_projected_Then_occurredOn_is_required_in_the_errors()
    {
        var result = History().AsOf(new DateOnly(1991, 12, 31))
            .Replace(Talks, new TalksHeld { Actor = "US", Target = "VN", Participants = ["US", "VN"] })
            .Add(new PersonDetained { Person = "a journalist", Actor = "VN", Target = "US" })
            .Add(new EventCorrected { TargetEventId = Talks, OccurredOn = DomainDate.Parse("1991-06"), Actor = "US",
                Correction = new TalksHeld { EventId = Talks, Actor = "US", Target = "VN", Participants = ["US", "VN"] } })
            .Project();

        result.IsValid.ShouldBeFalse();
        result.Errors.Select(e => (e.Path, e.Code)).ShouldBe(
            [("replace[0].event.occurredOn", "required"), ("add[0].occurredOn", "required"), ("add[1].correction.occurredOn", "required")]);
    }

    [Fact]
    public void Given_a_recorded_event_without_a_date_When_folded_or_branched_Then_the_error_names_it()
    {
        NegotiationEvent[] history = [new OfficeOpened { Actor = "US", Target = "VN", OfficeKind = OfficeKind.LiaisonOffice }];

        Should.Throw<ArgumentException>(() => NegotiationFold.StateAsOf(Opening, history, new DateOnly(1996, 1, 1)))
            .Message.ShouldContain("OfficeOpened has no OccurredOn");
        Should.Throw<ArgumentException>(() => WhatIf.From(Opening, history))
            .Message.ShouldContain("OfficeOpened has no OccurredOn");
    }

    [Fact]
    public void Given_a_negotiation_without_two_parties_When_folded_or_branched_Then_the_error_says_so()
    {
        var one = Opening with { Parties = [new Party { Code = "US", Name = "United States" }] };

        Should.Throw<ArgumentException>(() => NegotiationFold.StateAsOf(one, [], new DateOnly(1996, 1, 1)))
            .Message.ShouldContain("exactly two parties");
        Should.Throw<ArgumentException>(() => WhatIf.From(one, []).Project())
            .Message.ShouldContain("exactly two parties");
        NegotiationFold.StateAsOf(Opening, [], new DateOnly(1996, 1, 1)).Stage.ShouldBe(Stage.Estrangement);
    }
}
