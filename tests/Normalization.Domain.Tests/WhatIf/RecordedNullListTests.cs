using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;

namespace Normalization.Domain.Tests.WhatIf;

using WhatIf = Normalization.Domain.WhatIf.WhatIf;

/// <summary>
/// A recorded event built in code with a list left null. A trial (a US–North Korea history built in a user's own tests,
/// from the package) saw <c>TalksHeld { Participants = null }</c>, an <c>AgreementSigned</c> with null
/// <c>Signatories</c> or <c>Commitments</c> and a <c>PrisonersExchanged</c> with null <c>Releases</c> throw
/// NullReferenceException (or ArgumentNullException naming LINQ's <c>source</c>) from inside the fold, at
/// <c>Project()</c> or <c>StateAsOf</c>. The entry points now say which event and which list, as they say an event
/// without <c>OccurredOn</c>.
/// </summary>
public class RecordedNullListTests
{
    static readonly NegotiationOpened Opening = new()
    {
        Id = "us-dprk-null-lists", Title = "United States – North Korea",
        Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "KP", Name = "North Korea" }],
    };
    static readonly DomainDate Singapore = DomainDate.Parse("2018-06-12");

    public static TheoryData<NegotiationEvent, string> NullLists => new()
    {
        { new TalksHeld { OccurredOn = Singapore, Actor = "US", Target = "KP", Participants = null! }, "Recorded event TalksHeld has Participants = null: give a list" },
        { new AgreementSigned { OccurredOn = Singapore, Actor = "US", Target = "KP", Name = "Singapore Joint Statement", Signatories = null! }, "Recorded event AgreementSigned has Signatories = null: give a list" },
        { new AgreementSigned { OccurredOn = Singapore, Actor = "US", Target = "KP", Name = "Singapore Joint Statement", Signatories = ["US", "KP"], Commitments = null! }, "Recorded event AgreementSigned has Commitments = null: give a list" },
        { new PrisonersExchanged { OccurredOn = Singapore, Actor = "US", Target = "KP", Releases = null! }, "Recorded event PrisonersExchanged has Releases = null: give a list" },
        { new OfficeRequested { OccurredOn = Singapore, Actor = "KP", Target = "US", Constraints = null! }, "Recorded event OfficeRequested has Constraints = null: give a list" },
        { new RewardOffered { OccurredOn = Singapore, Actor = "US", Target = "KP", Targets = null! }, "Recorded event RewardOffered has Targets = null: give a list" },
        { new AttackOccurred { OccurredOn = Singapore, Actor = "KP", Target = "US", VictimsNationalities = null! }, "Recorded event AttackOccurred has VictimsNationalities = null: give a list" },
    };

    [Theory]
    [MemberData(nameof(NullLists))]
    public void Given_a_recorded_event_with_a_null_list_When_branched_or_folded_Then_the_error_names_the_event_and_the_list(NegotiationEvent e, string expected)
    {
        Should.Throw<ArgumentException>(() => WhatIf.From(Opening, [e]).Today(new DateOnly(2026, 12, 3)).Project())
            .Message.ShouldContain(expected);
        Should.Throw<ArgumentException>(() => NegotiationFold.StateAsOf(Opening, [e], new DateOnly(2019, 1, 1)))
            .Message.ShouldContain(expected);
    }
}
