using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Npgsql;

namespace Normalization.Api.Tests.Foundation;

/// <summary>
/// An operator's mistakes in the connection string, or a database that is not there: the app and every command that uses the
/// database end with one line on stderr and a non-zero exit code, never a stack trace (an operator trial found db-apply,
/// db-assert and the Development start printing 80–100 lines of stack trace on stdout, projections rebuild saying only
/// "Errors detected", and a malformed connection string aborting every command with an unhandled exception, exit 134).
/// </summary>
public sealed class DatabaseConnectionFailureTests
{
    public static TheoryData<string, string> Commands => new()
    {
        { "Production", "" },
        { "Development", "" },
        { "Production", "db-apply" },
        { "Production", "db-assert" },
        { "Production", "db-patch|{file}|-d|marten://store/" },
        { "Production", "projections|rebuild|-p|NegotiationFold" },
        { "Production", "export|us-taliban" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Given_a_wrong_password_When_the_app_or_a_command_runs_Then_one_line_names_the_reason_and_the_setting(string environment, string command)
    {
        // Given a connection string to an existing database with a wrong password
        await using var database = await ThrowawayDatabase.CreateAsync();
        var wrong = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = "not-the-password" }.ConnectionString;
        var file = Path.Combine(Path.GetTempPath(), $"nz-patch-{Guid.NewGuid():N}.sql");

        // When the app starts, or the command runs
        var args = command.Length == 0 ? [] : command.Replace("{file}", file).Split('|');
        var (exitCode, stdout, stderr) = await BuiltApi.RunInAsync(environment, wrong, args);

        // Then it exits 3 with one line on stderr: PostgreSQL's reason and the setting to check; no stack trace anywhere
        exitCode.ShouldBe(DatabaseProbe.ExitCode, stdout + stderr);
        var line = stderr.Trim();
        line.Split('\n').Length.ShouldBe(1, stderr);
        line.ShouldContain("28P01");
        line.ShouldContain("ConnectionStrings__Normalization");
        line.ShouldContain(database.Name);
        (stdout + stderr).ShouldNotContain("   at ");
        (stdout + stderr).ShouldNotContain("Exception");
        File.Exists(file).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Production", "", "garbage without any equals sign")]
    [InlineData("Production", "db-apply", "Hots=localhost;Database=normalization;Password=secret-value")]
    [InlineData("Production", "export|us-taliban", "Host=localhost;Pasword=secret-value")]
    [InlineData("Development", "", "Host=localhost;Database=normalization;Pasword=secret-value")]
    public async Task Given_a_malformed_connection_string_When_the_app_or_a_command_runs_Then_one_line_says_so_without_the_string(string environment, string command, string connectionString)
    {
        // When the app starts, or the command runs, with a connection string Npgsql cannot read
        var (exitCode, stdout, stderr) = await BuiltApi.RunInAsync(environment, connectionString, command.Length == 0 ? [] : command.Split('|'));

        // Then it exits 2 with one line naming the setting and the reason, never the string's values
        exitCode.ShouldBe(2, stdout + stderr);
        var line = stderr.Trim();
        line.Split('\n').Length.ShouldBe(1, stderr);
        line.ShouldContain("ConnectionStrings__Normalization");
        (stdout + stderr).ShouldNotContain("Unhandled exception");
        (stdout + stderr).ShouldNotContain("secret-value");
    }
}
