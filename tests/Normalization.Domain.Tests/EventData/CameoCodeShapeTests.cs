using Normalization.Domain.EventData;

namespace Normalization.Domain.Tests.EventData;

/// <summary>
/// An analyst's GDELT extract (US–North Korea 2017–2019) with hand-edited rows: an empty EventCode, <c>1A</c>, <c>999</c> and
/// <c>0</c> were counted as "unmapped" codes, as if the mapping table lacked them. <see cref="EventDataMapping.IsCameoCode"/>
/// says which cells can be CAMEO codes at all; the importer refuses the others by row and column.
/// </summary>
public sealed class CameoCodeShapeTests
{
    [Theory]
    [InlineData("")] [InlineData("0")] [InlineData("1A")] [InlineData("0999")] [InlineData("099")] [InlineData("000")] [InlineData("210")]
    [InlineData("047")] [InlineData("0460")] [InlineData("04")] [InlineData("12345")] [InlineData("04 6")] [InlineData("٠٤٦")]
    public void Given_a_cell_that_cannot_be_a_CAMEO_code_When_checked_Then_it_is_not_one(string code) =>
        EventDataMapping.IsCameoCode(code).ShouldBeFalse();

    [Theory]
    [InlineData("010")] [InlineData("046")] [InlineData("0841")] [InlineData("1056")] [InlineData("1384")] [InlineData("204")] [InlineData("2042")]
    [InlineData("019")] [InlineData("196")]
    public void Given_a_code_of_the_codebook_When_checked_Then_it_is_one(string code) =>
        EventDataMapping.IsCameoCode(code).ShouldBeTrue();

    [Fact]
    public void Given_the_mapping_table_When_its_CAMEO_rows_are_checked_Then_every_code_is_a_CAMEO_code()
    {
        var cameo = EventDataMapping.Rows.Where(r => r.Scheme == CodeScheme.Cameo).ToList();

        cameo.ShouldNotBeEmpty();
        cameo.ShouldAllBe(r => EventDataMapping.IsCameoCode(r.Code));
    }
}
