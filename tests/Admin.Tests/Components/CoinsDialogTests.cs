using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Nio.Admin.Components.Dialogs;

namespace Nio.Admin.Tests.Components;

public sealed class CoinsDialogTests : PanelComponentTest
{
    [Theory]
    [InlineData("", "goodwill")]
    [InlineData("abc", "goodwill")]
    [InlineData("0", "goodwill")]
    [InlineData("1.5", "goodwill")]
    [InlineData("1000000001", "goodwill")]
    [InlineData("-1000000001", "goodwill")]
    [InlineData("500", "")]
    [InlineData("500", "   ")]
    public async Task Confirm_stays_off_until_the_amount_is_a_whole_number_of_coins_the_Api_takes_and_a_reason_is_given(string amount, string reason)
    {
        var provider = Render<MudDialogProvider>();
        _ = CoinsDialog.AskAsync(Services.GetRequiredService<IDialogService>(), "Vera", "Grant coins");

        await TypeAsync(provider, "Amount", amount);
        await TypeAsync(provider, "Reason", reason);

        Assert.True(ConfirmButton(provider).HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("500", 500)]
    [InlineData(" -20 ", -20)]
    [InlineData("1000000000", 1_000_000_000)]
    public async Task A_confirmed_grant_answers_the_amount_and_the_trimmed_reason(string typed, long expected)
    {
        var provider = Render<MudDialogProvider>();
        var answer = CoinsDialog.AskAsync(Services.GetRequiredService<IDialogService>(), "Vera", "Grant coins");

        await TypeAsync(provider, "Amount", typed);
        await TypeAsync(provider, "Reason", "  outage  ");
        await ConfirmButton(provider).ClickAsync(new());

        Assert.Equal(new CoinsAnswer(expected, "outage"), await answer);
    }

    [Fact]
    public async Task Cancel_grants_nothing()
    {
        var provider = Render<MudDialogProvider>();
        var answer = CoinsDialog.AskAsync(Services.GetRequiredService<IDialogService>(), "Vera", "Grant coins");

        await TypeAsync(provider, "Amount", "500");
        await provider.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());

        Assert.Null(await answer);
    }

    private static IElement ConfirmButton(IRenderedComponent<MudDialogProvider> provider) =>
        provider.FindAll("button").Single(b => b.TextContent.Trim() == "Confirm");

    private static async Task TypeAsync(IRenderedComponent<MudDialogProvider> provider, string label, string text)
    {
        provider.WaitForElement("label");
        var id = provider.FindAll("label").Single(l => l.TextContent.Trim().TrimEnd('*').Trim() == label).GetAttribute("for");
        var field = provider.Find($"#{id}");
        await field.InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = text });
    }
}
