using Normalization.Api.Hosting;

namespace Normalization.Api.Tests.Foundation;

/// <summary>
/// A published app started from another folder (an operator trial: <c>dotnet /srv/…/Normalization.Api.dll</c> from <c>/</c>)
/// read no <c>appsettings.json</c> and answered every page with 500, "wwwroot/index.html is missing": the content root was
/// the current directory. <see cref="ContentRoot"/> now takes the app's own folder in that case, and only then.
/// </summary>
public sealed class ContentRootTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("content-root-").FullName;

    string Folder(string name, bool withPages)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        if (withPages)
        {
            Directory.CreateDirectory(Path.Combine(folder, "wwwroot"));
            File.WriteAllText(Path.Combine(folder, "wwwroot", "index.html"), "<!doctype html>");
        }
        return folder;
    }

    static string? NoVariables(string _) => null;

    [Fact]
    public void Given_a_publish_output_When_it_is_started_from_another_folder_Then_the_content_root_is_the_apps_folder()
    {
        // Given a publish output (wwwroot beside the dll) and a current directory without pages
        var app = Folder("publish", withPages: true);
        var elsewhere = Folder("elsewhere", withPages: false);

        // When the options are chosen
        var options = ContentRoot.Options([], elsewhere, app, NoVariables);

        // Then the app's folder is the content root
        options.ContentRootPath.ShouldBe(app);
    }

    [Fact]
    public void Given_the_project_folder_as_current_directory_When_the_options_are_chosen_Then_ASP_NET_Core_keeps_its_default()
    {
        // Given dotnet run: the current directory is the project (its wwwroot), the app's folder is bin/… (none)
        var project = Folder("project", withPages: true);
        var bin = Folder("bin", withPages: false);

        // When / Then nothing is overridden
        ContentRoot.Options([], project, bin, NoVariables).ContentRootPath.ShouldBeNull();
        // and a start from the image's WORKDIR (both the same folder) is not either
        ContentRoot.Options([], project, project, NoVariables).ContentRootPath.ShouldBeNull();
    }

    [Theory]
    [InlineData("--contentRoot=/srv/x", null)]
    [InlineData("--contentroot", null)]
    [InlineData(null, "ASPNETCORE_CONTENTROOT")]
    [InlineData(null, "DOTNET_CONTENTROOT")]
    public void Given_a_content_root_given_by_the_operator_When_the_options_are_chosen_Then_it_is_not_overridden(string? arg, string? variable)
    {
        // Given a publish output started from elsewhere, with the operator's own content root
        var app = Folder("publish", withPages: true);
        var elsewhere = Folder("elsewhere", withPages: false);
        string[] args = arg is null ? [] : [arg, "/srv/x"];

        // When the options are chosen
        var options = ContentRoot.Options(args, elsewhere, app, name => name == variable ? "/srv/x" : null);

        // Then ASP.NET Core reads the operator's choice, not ours
        options.ContentRootPath.ShouldBeNull();
        options.Args.ShouldBe(args);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
