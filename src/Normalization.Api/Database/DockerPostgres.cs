namespace Normalization.Api.Database;

/// <summary>The docker-compose <c>postgres</c> service, when no server binaries are installed and a Docker engine answers.</summary>
internal static class DockerPostgres
{
    const string DefaultPassword = "normalization";

    /// <summary>Whether <c>docker info</c> answers (a running engine).</summary>
    public static async Task<bool> AnswersAsync(CancellationToken ct)
    {
        try
        {
            var info = await ProcessRunner.RunAsync("docker", ["info"], false, TimeSpan.FromSeconds(15), ct);
            return info.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>docker compose up -d postgres</c> in the checkout, then waits for localhost:5432 (password <c>NORMALIZATION_PG_PASSWORD</c>,
    /// else the compose file's); <see cref="PostgresStartupException"/> when it fails.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(ILogger logger, CancellationToken ct)
    {
        var root = ClusterFolders.FindCheckoutRoot()
                   ?? throw new PostgresStartupException("Docker answers, but no checkout with docker-compose.yml was found.");
        logger.LogInformation("PostgreSQL: no server binaries found; starting the docker compose service 'postgres' (localhost:5432)");
        var up = await ProcessRunner.RunAsync("docker", ["compose", "up", "-d", "postgres"], false, TimeSpan.FromMinutes(5), ct, root);
        if (up.ExitCode != 0)
        {
            throw new PostgresStartupException($"`docker compose up -d postgres` failed (exit {up.ExitCode}): {ProcessRunner.LastLine(up.Output)}");
        }

        var password = Environment.GetEnvironmentVariable("NORMALIZATION_PG_PASSWORD") is { Length: > 0 } pw ? pw : DefaultPassword;
        var cs = ServerReadiness.MaintenanceConnectionString("localhost", 5432, password);
        await ServerReadiness.WaitUntilReachableAsync(cs, TimeSpan.FromSeconds(90), ct);
        logger.LogInformation("PostgreSQL: docker container ready at localhost:5432");
        return new PostgresServer(PostgresSource.Docker, cs);
    }
}
