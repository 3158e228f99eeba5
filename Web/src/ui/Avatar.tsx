/** A round avatar; without a picture, the person's initial on a colour of their own. */
export function Avatar({ name, url, size = 40 }: { name: string; url: string | null; size?: number }) {
  const hue = [...name].reduce((sum, c) => sum + c.codePointAt(0)!, 0) % 360;
  return url ? (
    <img className="avatar" src={url} alt="" width={size} height={size} />
  ) : (
    <span className="avatar" aria-hidden="true" style={{ width: size, height: size, fontSize: size * 0.45, background: `hsl(${hue} 55% 40%)` }}>
      {[...name.trim()][0]?.toUpperCase() ?? '?'}
    </span>
  );
}
