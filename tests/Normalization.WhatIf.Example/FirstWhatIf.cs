// <snippet:what-if-first-test>
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Normalization.Domain.WhatIf;
using Shouldly;
using Xunit;

namespace MyAnalysis.Tests;

public class FirstWhatIf
{
    [Fact]
    public void What_if_the_office_request_were_granted_as_a_liaison_office()
    {
        // a history file copied beside the tests (first line: the negotiation), e.g. a server's export
        var history = Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson");

        var result = WhatIf.FromNdjson(history)
            .AsOf(new DateOnly(2025, 4, 3))                              // branch point: later recorded events did not happen
            .Add(new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice, OccurredOn = DomainDate.Parse("2025-05-01"), Actor = "TB", Target = "US" })
            .Project();                                                  // fold the branch and its baseline

        result.State.Stage.ShouldBe(Stage.Representation);               // the projected state
        result.Diff.StageBefore.ShouldBe(Stage.ConfidenceBuilding);      // the comparison with the baseline
        result.Diff.Ledger("request").ShouldHaveSingleItem().After.ShouldBe("Granted");
    }
}
// </snippet>
