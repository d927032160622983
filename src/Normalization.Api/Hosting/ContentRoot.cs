namespace Normalization.Api.Hosting;

/// <summary>
/// Where the app reads <c>appsettings.json</c> and serves <c>wwwroot</c> from. ASP.NET Core takes the current directory,
/// which is right for <c>dotnet run</c> (the project folder) and the Docker image (<c>WORKDIR /app</c>), but a published
/// app started from another folder (<c>cd / &amp;&amp; dotnet /srv/normalization/Normalization.Api.dll</c>, a systemd unit
/// without <c>WorkingDirectory</c>) read neither: its settings were the defaults and every page answered 500
/// ("wwwroot/index.html is missing"). Such a start now uses the folder of the app itself. An explicit content root
/// (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>) always wins; file arguments of the
/// data commands are still relative to the current directory.
/// </summary>
public static class ContentRoot
{
    /// <summary>
    /// The builder's options for <paramref name="args"/>: <see cref="WebApplicationOptions.ContentRootPath"/> is
    /// <paramref name="appFolder"/> (default <see cref="AppContext.BaseDirectory"/>) when the current directory
    /// <paramref name="currentDirectory"/> holds no <c>wwwroot/index.html</c>, the app's folder does (a publish output), and no
    /// content root was given; otherwise it is left to ASP.NET Core.
    /// </summary>
    public static WebApplicationOptions Options(string[] args, string? currentDirectory = null, string? appFolder = null,
        Func<string, string?>? environment = null)
    {
        currentDirectory ??= Directory.GetCurrentDirectory();
        appFolder ??= AppContext.BaseDirectory;
        environment ??= Environment.GetEnvironmentVariable;
        var given = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase) ||
                                  a.StartsWith("/contentRoot", StringComparison.OrdinalIgnoreCase)) ||
                    !string.IsNullOrEmpty(environment("ASPNETCORE_CONTENTROOT")) || !string.IsNullOrEmpty(environment("DOTNET_CONTENTROOT"));
        static bool HasPages(string folder) => File.Exists(Path.Combine(folder, "wwwroot", "index.html"));
        return !given && !HasPages(currentDirectory) && HasPages(appFolder)
            ? new WebApplicationOptions { Args = args, ContentRootPath = appFolder }
            : new WebApplicationOptions { Args = args };
    }
}
