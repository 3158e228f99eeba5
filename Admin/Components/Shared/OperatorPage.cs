using Microsoft.AspNetCore.Components;
using MudBlazor;
using Nio.Admin.ApiClient;
using Nio.Admin.Auth;

namespace Nio.Admin.Components.Shared;

/// <summary>
/// What every page does with the Api: calls cancelled when the page closes, an ended session sent back to sign-in,
/// a refusal shown with the Api's own words, and filters kept in the URL.
/// </summary>
public abstract class OperatorPage : LocalizedComponent, IDisposable
{
    private readonly CancellationTokenSource closing = new();

    [Inject]
    protected NioApi Api { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    [Inject]
    protected ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    protected IDialogService Dialogs { get; set; } = default!;

    /// <summary>Cancelled when the operator leaves the page.</summary>
    protected CancellationToken Closing => closing.Token;

    /// <summary>True while a call made through <see cref="CallAsync"/> runs.</summary>
    protected bool Busy { get; private set; }

    /// <summary>Runs a call to the Api; false when it failed (already shown to the operator).</summary>
    protected async Task<bool> CallAsync(Func<CancellationToken, Task> call, string? done = null)
    {
        Busy = true;
        try
        {
            await call(Closing);
            if (done is not null)
            {
                Snackbar.Add(done, Severity.Success);
            }

            return true;
        }
        catch (SessionEndedException)
        {
            Navigation.NavigateTo(OperatorSignIn.SignInPath, forceLoad: true);
        }
        catch (ApiProblemException problem)
        {
            Snackbar.Add(problem.Detail ?? problem.Title, Severity.Error);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !Closing.IsCancellationRequested)
        {
            Snackbar.Add(T["The Api does not answer; try again shortly."], Severity.Error);
        }
        catch (OperationCanceledException) when (Closing.IsCancellationRequested)
        {
            // The page was left; nobody is waiting for the answer.
        }
        finally
        {
            Busy = false;
        }

        return false;
    }

    /// <summary>Loads a value from the Api; default when it failed.</summary>
    protected async Task<TValue?> LoadAsync<TValue>(Func<CancellationToken, Task<TValue>> load)
    {
        TValue? value = default;
        await CallAsync(async ct => value = await load(ct));
        return value;
    }

    /// <summary>Goes to the same page with these query values changed (null removes one); the page number starts over unless given.</summary>
    protected void NavigateWithQuery(params (string Name, object? Value)[] changes)
    {
        var values = changes.ToDictionary(c => c.Name, c => c.Value is string { Length: 0 } ? null : c.Value);
        values.TryAdd("page", null);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(values));
    }

    public void Dispose()
    {
        closing.Cancel();
        closing.Dispose();
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
