using System.Net;
using System.Text;
using System.Text.Json;

namespace GraphDiff.Nn;

/// <summary>
/// An interactive single-file HTML page that steps through backpropagation on a picture of the graph: the forward
/// pass, then the backward pass, one ledger line per step (→ or Space for the next, ← for the previous, Home to
/// restart), the node of each step highlighted. Everything is inlined: no CDN, no network.
/// </summary>
public static class BackpropStepper
{
    /// <summary>The page for <paramref name="output"/> with the inputs in <paramref name="feed"/>.</summary>
    public static string Html(Node output, Feed? feed = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var ledger = Backprop.Explain(output, feed);
        var svg = GraphSvg.Render(output, feed);
        var steps = ledger.Forward.Select(l => new { pass = "forward", node = $"n{l.NodeId}", text = l.ToString() })
            .Concat(ledger.Backward.Select(l => new { pass = "backward", node = $"n{l.NodeId}", text = l.ToString() })).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>GraphDiff backprop stepper</title>");
        sb.AppendLine("<style>body{font-family:Helvetica,Arial,sans-serif;margin:16px} #line{font-family:monospace;font-size:15px;margin:10px 0;min-height:1.4em}" +
                      " g.node.current rect{stroke:#e67e22;stroke-width:3} g.node.done rect{fill:#fdf2e9} .pass{color:#777} button{margin-right:6px}</style>");
        sb.AppendLine("<script>window.__errors=[];window.addEventListener('error',e=>window.__errors.push(String(e.message)));" +
                      "const __ce=console.error;console.error=(...a)=>{window.__errors.push(a.join(' '));__ce(...a);};</script></head><body>");
        sb.AppendLine("<h1>Backpropagation, step by step</h1>");
        sb.AppendLine("<div><button id=\"prev\">← previous</button><button id=\"next\">next →</button><button id=\"restart\">restart</button>" +
                      "<span class=\"pass\" id=\"pass\"></span> <span id=\"counter\"></span></div>");
        sb.AppendLine("<div id=\"line\"></div>");
        sb.AppendLine(svg);
        sb.Append("<script>const steps=").Append(JsonSerializer.Serialize(steps)).AppendLine(";");
        sb.AppendLine("""
let step=-1;
function show(i){
  step=Math.max(-1,Math.min(steps.length-1,i));
  document.querySelectorAll('g.node').forEach(g=>g.classList.remove('current','done'));
  for(let k=0;k<=step;k++){const g=document.getElementById(steps[k].node); if(g) g.classList.add(k===step?'current':'done');}
  document.getElementById('line').textContent=step<0?'Press → to start the forward pass.':steps[step].text;
  document.getElementById('pass').textContent=step<0?'':steps[step].pass+' pass';
  document.getElementById('counter').textContent=(step+1)+' / '+steps.length;
}
document.getElementById('next').onclick=()=>show(step+1);
document.getElementById('prev').onclick=()=>show(step-1);
document.getElementById('restart').onclick=()=>show(-1);
document.addEventListener('keydown',e=>{if(e.key==='ArrowRight'||e.key===' ')show(step+1);else if(e.key==='ArrowLeft')show(step-1);else if(e.key==='Home')show(-1);});
show(-1);
</script></body></html>
""");
        return sb.ToString();
    }
}
