using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Negotiations;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Importing;

/// <summary>
/// An NDJSON file whose first line declares the negotiation but cannot be read — a month for <c>coveredUntil</c>, a party
/// code in lower case — imported <c>--into</c> a new id (the command line's way to create a negotiation from a file). A
/// researcher's trial (US–Cuba, <c>"coveredUntil": "2017-10"</c>): the import answered "No negotiation 'x', and the file
/// does not declare it: give --title and --parties", naming neither the line nor the field, and following that advice
/// was refused in turn (the file does declare it). Now the line's errors are the answer, as without <c>--into</c> or into an
/// existing negotiation, and nothing is created.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DeclaringLineErrorsTests(AppFixture app)
{
    Importer Importer => app.Host.Services.GetRequiredService<Importer>();
    NegotiationStore Store => app.Host.Services.GetRequiredService<NegotiationStore>();

    public static TheoryData<string, string, string> BrokenDeclarations => new()
    {
        { "\"coveredUntil\":\"2017-10\"", "coveredUntil", "invalid_date" },
        { "\"coveredUntil\":\"2017\"", "coveredUntil", "invalid_date" },
        { "\"coveredUntil\":\"2017-10-31\",\"baseline\":{\"relations\":\"Frozen\"}", "baseline.relations", "unknown_value" },
    };

    static async Task<string> FileWith(string id, string declaration)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        var opening = "{\"type\":\"NegotiationOpened\",\"id\":\"" + id + "\",\"title\":\"United States – Cuba\","
            + "\"parties\":[{\"code\":\"US\",\"name\":\"United States\"},{\"code\":\"CU\",\"name\":\"Cuba\"}]," + declaration + "}";
        await File.WriteAllTextAsync(path, opening + "\n" + Talks("2016-03-21", "US", "CU").ToJsonString() + "\n");
        return path;
    }

    [Theory, MemberData(nameof(BrokenDeclarations))]
    public async Task Given_a_file_whose_declaring_line_has_an_error_When_imported_into_a_new_id_Then_the_line_and_field_are_named_and_nothing_is_created(
        string declaration, string path, string code)
    {
        // Given a new id and a file whose first line declares it with an error
        var id = TestApi.NewId("declares");
        var file = await FileWith(id, declaration);

        // When it is imported into that id (the command line's import --into)
        var report = await Importer.ImportAsync(new ImportRequest { Path = file, Into = id });

        // Then the error is the line's, naming the field, and no negotiation is created
        report.Succeeded.ShouldBeFalse();
        report.Errors.ShouldContain(e => e.Line == 1 && e.Path == path && e.Code == code, string.Join("; ", report.Errors.Select(e => $"{e.Line} {e.Path} {e.Code}")));
        (await Store.VersionAsync(id)).ShouldBeNull();
    }
}
