using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Negotiations;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Importing;

/// <summary>
/// The import command's options that describe a negotiation (<c>--title</c>, <c>--parties</c>, <c>--mediators</c>,
/// <c>--covered-until</c>) only create one from a file that does not declare it. A historian's trial: given with a file whose
/// first line declares the negotiation, or into a negotiation that exists, they were silently ignored (a
/// <c>--covered-until</c> lost without a word). Now the import is refused, naming them, and nothing is stored.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DescribingOptionsTests(AppFixture app)
{
    static string SeedFile => Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson");
    Importer Importer => app.Host.Services.GetRequiredService<Importer>();
    NegotiationStore Store => app.Host.Services.GetRequiredService<NegotiationStore>();

    public static TheoryData<string> Options => ["--title", "--parties", "--mediators", "--covered-until"];

    static ImportRequest With(ImportRequest request, string option) => option switch
    {
        "--title" => request with { Title = "US–Taliban talks" },
        "--parties" => request with { Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "TB", Name = "Taliban" }] },
        "--mediators" => request with { Mediators = [new Party { Code = "QA", Name = "Qatar" }] },
        _ => request with { CoveredUntil = new DateOnly(2025, 4, 30) },
    };

    [Theory, MemberData(nameof(Options))]
    public async Task Given_a_file_whose_first_line_declares_the_negotiation_When_imported_with_an_option_describing_it_Then_refused_naming_the_option_and_nothing_stored(string option)
    {
        // Given a new id and the seed file, whose first line declares the negotiation
        var id = TestApi.NewId("declared");

        // When it is imported with an option that describes the negotiation
        var refused = await Should.ThrowAsync<ImportException>(() => Importer.ImportAsync(With(new ImportRequest { Path = SeedFile, Into = id }, option)));

        // Then the import is refused, naming the option and the line to edit instead, and no negotiation is created
        refused.Message.ShouldContain(option);
        refused.Message.ShouldContain("first line declares");
        (await Store.VersionAsync(id)).ShouldBeNull();
    }

    [Theory, MemberData(nameof(Options))]
    public async Task Given_an_existing_negotiation_When_a_file_is_imported_into_it_with_an_option_describing_it_Then_refused_and_nothing_stored(string option)
    {
        // Given an existing US–TB negotiation and a file of one talks event without a declaring line
        var id = await app.GivenNegotiation("existing");
        var path = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        await File.WriteAllTextAsync(path, Talks("2024-05-01").ToJsonString() + "\n");

        // When it is imported with an option that describes the negotiation
        var refused = await Should.ThrowAsync<ImportException>(() => Importer.ImportAsync(With(new ImportRequest { Path = path, Into = id }, option)));

        // Then the import is refused, naming the option and how to change the negotiation instead, and nothing is stored
        refused.Message.ShouldContain(option);
        refused.Message.ShouldContain("exists");
        (await Store.VersionAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Given_a_file_without_a_declaring_line_When_imported_with_title_parties_and_coverage_Then_the_negotiation_is_created_from_them()
    {
        // Given a new id and a file of one talks event without a declaring line
        var id = TestApi.NewId("described");
        var path = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        await File.WriteAllTextAsync(path, Talks("2024-05-01").ToJsonString() + "\n");

        // When it is imported with the options that describe the negotiation
        var report = await Importer.ImportAsync(With(With(With(new ImportRequest { Path = path, Into = id }, "--title"), "--parties"), "--covered-until"));

        // Then it is created from them
        report.Errors.ShouldBeEmpty();
        report.Created.ShouldBeTrue();
        (await Store.OpeningOfAsync(id))!.CoveredUntil.ShouldBe(new DateOnly(2025, 4, 30));
    }
}
