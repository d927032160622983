// <snippet:what-if-package-example>
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Normalization.Domain.WhatIf;
using Shouldly;
using Xunit;

namespace MyAnalysis.Tests;

public class TalibanWhatIfs
{
    static Branch History() => WhatIf.FromNdjson(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"));
    static readonly DateOnly ReportDay = new(2025, 4, 3);

    [Fact]
    public void What_if_the_Taliban_returned_the_US_equipment()
    {
        var result = History().AsOf(ReportDay)
            .Add(new DemandMet { DemandId = "us-equipment", OccurredOn = DomainDate.Parse("2025-04-10"), Actor = "TB", Target = "US" })
            .Project();

        result.State.Stage.ShouldBe(Stage.ConfidenceBuilding);
        result.Diff.Ledger("demand").ShouldHaveSingleItem().After.ShouldBe("Met");
        result.Diff.Momentum.Delta.ShouldBe(5.0);
    }

    [Fact]
    public void What_if_the_office_request_were_granted_as_a_liaison_office()
    {
        var result = History().AsOf(ReportDay)
            .Add(new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice, OccurredOn = DomainDate.Parse("2025-05-01"), Actor = "TB", Target = "US" })
            .Project();

        result.State.Stage.ShouldBe(Stage.Representation);
        result.Diff.StageBefore.ShouldBe(Stage.ConfidenceBuilding);
        result.Diff.Ledger("request").ShouldHaveSingleItem().After.ShouldBe("Granted");
    }

    [Fact]
    public void What_if_an_American_were_detained_the_next_day_and_no_talks_followed()
    {
        var result = History().AsOf(ReportDay).Today(new(2025, 4, 4))
            .Add(new PersonDetained { Person = "an aid worker", Nationality = "US", OccurredOn = DomainDate.Parse("2025-04-04"), Actor = "TB", Target = "US" })
            .Project(at: new DateOnly(2026, 3, 25));

        // the talks of 2025-03-20 stop counting on 2026-03-20; the detention still counts then
        result.State.Stage.ShouldBe(Stage.Hostility);
        result.State.StageSince.ShouldBe(new DateOnly(2026, 3, 20));
        result.Baseline!.Stage.ShouldBe(Stage.Estrangement);
    }

    [Fact]
    public void What_if_the_Haqqani_rewards_had_not_been_rescinded()
    {
        var result = History().AsOf(ReportDay)
            .Remove(Guid.Parse("82f13cab-8c24-5784-9dce-c240e2064068"))   // or .Remove<RewardRescinded>()
            .Project(at: new DateOnly(2026, 2, 1));

        result.State.Stage.ShouldBe(Stage.Exploratory);               // the last US gesture is now January's exchange
        result.State.StageSince.ShouldBe(new DateOnly(2026, 1, 21));
    }

    [Fact]
    public void A_change_that_breaks_the_rules_is_reported_not_thrown()
    {
        var result = History().AsOf(ReportDay)
            .Add(new DemandMet { DemandId = "no-such-demand", OccurredOn = DomainDate.Parse("2025-04-10"), Actor = "TB", Target = "US" })
            .Project();

        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldContain(e => e.Path == "add[0].demandId");
    }

    [Fact]
    public void Side_by_side()
    {
        var table = Scenarios.Compare(History().AsOf(new DateOnly(2025, 4, 30)), new DateOnly(2026, 4, 15),
            ("no talks for a year", b => b),
            ("talks in January 2026", b => b.Add(new TalksHeld { Participants = ["US", "TB"], OccurredOn = DomainDate.Parse("2026-01-15"), Actor = "US", Target = "TB" })));

        table["no talks for a year"].Stage.ShouldBe(Stage.Estrangement);
        table["talks in January 2026"].Stage.ShouldBe(Stage.Exploratory);
        // Console.WriteLine(table) prints a Markdown table: scenario | stage | since | momentum | trend (first row: baseline)
    }
}
// </snippet>
