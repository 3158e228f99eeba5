using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Nio.Admin.Localization;

namespace Nio.Admin.Components.Shared;

/// <summary>The base of the panel's components: <see cref="T"/> gives a text in the operator's language.</summary>
public abstract class LocalizedComponent : ComponentBase
{
    [Inject]
    protected IStringLocalizer<Text> T { get; set; } = default!;
}
