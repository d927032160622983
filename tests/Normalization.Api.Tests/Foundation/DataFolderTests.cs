using Normalization.Api.Database;

namespace Normalization.Api.Tests.Foundation;

/// <summary>Issue 16 (3): the private cluster's folder is one the postgres OS user can reach, chosen without the user's help.</summary>
public sealed class DataFolderTests
{
    [Fact]
    public void Given_a_checkout_the_postgres_user_cannot_traverse_When_running_as_root_Then_a_folder_of_its_own_under_var_tmp_is_chosen()
    {
        var checkout = Directory.CreateTempSubdirectory("nz-private").FullName;
        try
        {
            var chosen = ClusterFolders.ChooseDataRoot(Path.Combine(checkout, ".data"), asRoot: true, overridden: false, postgresCanTraverse: _ => false);

            chosen.ShouldStartWith("/var/tmp/normalization-");
            ClusterFolders.ChooseDataRoot(Path.Combine(checkout, ".data"), true, false, _ => false).ShouldBe(chosen); // stable per checkout
            ClusterFolders.ChooseDataRoot(Path.Combine(checkout, "other", ".data"), true, false, _ => false).ShouldNotBe(chosen);
        }
        finally { Directory.Delete(checkout, recursive: true); }
    }

    [Theory]
    [InlineData(false, false, true)]  // not root: the postgres user is not involved
    [InlineData(true, true, false)]   // NORMALIZATION_DATA_DIR set: the user's choice stands
    [InlineData(true, false, true)]   // reachable: the checkout's .data
    public void Given_no_reason_to_move_When_choosing_Then_the_checkout_s_folder_is_kept(bool asRoot, bool overridden, bool reachable)
    {
        var preferred = Path.Combine(Path.GetTempPath(), ".data");

        ClusterFolders.ChooseDataRoot(preferred, asRoot, overridden, _ => reachable).ShouldBe(preferred);
    }
}
