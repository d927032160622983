using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

using WhatIf = Normalization.Domain.WhatIf.WhatIf;

/// <summary>
/// A null given to the what-if API in code. A trial (a US–North Korea history built in a user's own test project, from
/// the package) saw <c>.Add(null)</c>, <c>.Replace(id, null)</c>, <c>.Remove(null)</c>, <c>.Today((TimeProvider)null)</c>,
/// <c>WhatIf.From(null, …)</c>, a null event in the history and <c>Scenarios.Compare(null, …)</c> throw
/// NullReferenceException from inside the library (some only at <c>Project()</c>, far from the call), and
/// <c>WhatIf.From(opening, null)</c> an ArgumentNullException naming LINQ's <c>source</c>; a scenario named null was a
/// row without a name. Each is now an <see cref="ArgumentException"/> (or <see cref="ArgumentNullException"/>) at the
/// call, naming the parameter and, inside a list, the item.
/// </summary>
public class NullArgumentTests
{
    static readonly NegotiationOpened Opening = new()
    {
        Id = "us-dprk-nulls", Title = "United States – North Korea",
        Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "KP", Name = "North Korea" }],
    };
    static readonly Guid Hanoi = Guid.Parse("2019a000-0000-4000-8000-000000000227");

    static NegotiationEvent Talks(string on) =>
        new TalksHeld { OccurredOn = DomainDate.Parse(on), Actor = "US", Target = "KP", Participants = ["US", "KP"] };

    static Branch History() => WhatIf.From(Opening, [Talks("2018-06-12"), ((TalksHeld)Talks("2019-02-27")) with { EventId = Hanoi }])
        .Today(new DateOnly(2026, 12, 3));

    [Fact]
    public void Given_a_branch_When_a_change_is_given_null_Then_the_call_throws_naming_the_parameter()
    {
        var branch = History().AsOf(new DateOnly(2019, 10, 6));

        Should.Throw<ArgumentNullException>(() => branch.Add((NegotiationEvent[])null!)).ParamName.ShouldBe("events");
        Should.Throw<ArgumentNullException>(() => branch.Add((IEnumerable<NegotiationEvent>)null!)).ParamName.ShouldBe("events");
        Should.Throw<ArgumentNullException>(() => branch.Replace(Hanoi, null!)).ParamName.ShouldBe("replacement");
        Should.Throw<ArgumentNullException>(() => branch.Remove((Func<NegotiationEvent, bool>)null!)).ParamName.ShouldBe("filter");
        Should.Throw<ArgumentNullException>(() => branch.Today((TimeProvider)null!)).ParamName.ShouldBe("clock");
        Should.Throw<ArgumentNullException>(() => branch.WithOptions(null!)).ParamName.ShouldBe("options");
    }

    [Fact]
    public void Given_a_null_among_the_added_events_When_added_Then_the_error_names_its_place()
    {
        var ex = Should.Throw<ArgumentException>(() => History().Add(Talks("2019-06-30"), null!));

        ex.ParamName.ShouldBe("events");
        ex.Message.ShouldContain("events[1] is null");
    }

    [Fact]
    public void Given_a_null_history_When_branched_or_folded_Then_the_error_names_the_parameter_or_the_item()
    {
        Should.Throw<ArgumentNullException>(() => WhatIf.From(null!, [])).ParamName.ShouldBe("opening");
        Should.Throw<ArgumentNullException>(() => WhatIf.From(Opening, null!)).ParamName.ShouldBe("events");
        Should.Throw<ArgumentException>(() => WhatIf.From(Opening, [Talks("2018-06-12"), null!])).Message.ShouldContain("events[1] is null");
        Should.Throw<ArgumentException>(() => NegotiationFold.StateAsOf(Opening, [null!], new DateOnly(2019, 1, 1))).Message.ShouldContain("events[0] is null");
        Should.Throw<ArgumentException>(() => WhatIf.From(Opening with { Parties = null! }, [])).Message.ShouldContain("has 0 parties");
    }

    [Fact]
    public void Given_a_comparison_When_its_history_a_scenario_name_or_change_is_null_Then_the_error_names_it()
    {
        Should.Throw<ArgumentNullException>(() => Scenarios.Compare((Branch)null!, ("a", b => b))).ParamName.ShouldBe("history");
        Should.Throw<ArgumentException>(() => Scenarios.Compare(History(), ("no walk-out", null!)))
            .Message.ShouldContain("scenarios[0] ('no walk-out') has no change");
        Should.Throw<ArgumentException>(() => Scenarios.Compare(History(), ("a", b => b), (null!, b => b)))
            .Message.ShouldContain("scenarios[1] has no name");
        Should.Throw<ArgumentException>(() => Scenarios.Compare(History(), (" ", b => b)))
            .Message.ShouldContain("scenarios[0] has no name");
    }
}
