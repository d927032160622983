namespace Normalization.Api.Internal;

/// <summary>
/// Where the app reads <c>appsettings.json</c> and its web page (<c>wwwroot</c>) from. ASP.NET Core takes the current directory;
/// an operator trial started the published <c>Normalization.Api.dll</c> from another folder (as a service unit without a
/// working directory does): the app ran without its appsettings.json (Wolverine's log at Information, every setting of the
/// file gone) and without its web page (<c>/</c> answered 500). When the current directory has no <c>appsettings.json</c> and
/// the app's own folder has, the app's folder is used; a content root given explicitly (<c>--contentRoot</c>,
/// <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>) always wins.
/// </summary>
public static class AppContentRoot
{
    /// <summary>The content root to use, or null for ASP.NET Core's default (the current directory).</summary>
    public static string? Choose(string[] args, string currentDirectory, string appDirectory)
    {
        if (args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--contentroot", StringComparison.OrdinalIgnoreCase))) return null;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT")) ||
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))) return null;
        const string settings = "appsettings.json";
        return !File.Exists(Path.Combine(currentDirectory, settings)) && File.Exists(Path.Combine(appDirectory, settings)) ? appDirectory : null;
    }
}
