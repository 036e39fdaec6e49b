// The call's tiles in their grid: one per member in the call (ours first, once our camera is
// open) and one for each screen shared next to a camera. A tile is made when first needed,
// kept while its member or screen is in the call, and put in the page only when new: taking a
// playing <video> out of the page pauses it.
import type { CallsModel, CallsViewHandlers } from './call-model.ts';
import { createScreenTile, drawScreenTile, type ScreenTile } from './call-screen-tile.ts';
import { createTile, drawTile, hearFrom, sayState, type Tile } from './call-tile.ts';
import type { TileLook } from './call-tile-state.ts';
import { setHidden } from './dom.ts';

export interface CallGrid {
  /** Draws the tiles the model has in the call and takes the others out. */
  render(model: CallsModel): void;
  /** Whether this element is in the grid (the keyboard on a tile's button). */
  contains(node: Node): boolean;
  /** The members' tiles now, ours among them (not the screens'). */
  tiles(): Iterable<Tile>;
  /** Whether a member's tile is shown (ours counts): who is speaking is read only then. */
  hasTiles(): boolean;
}

export function createCallGrid(handlers: Pick<CallsViewHandlers, 'quality'>): CallGrid {
  const grid = document.getElementById('call-tiles') as HTMLElement;
  const tiles = new Map<string, Tile>();
  const screens = new Map<string, ScreenTile>();
  // A phone's strip scrolls sideways, and a tile with only a name past its edge has nothing
  // the keyboard reaches: the strip takes a tab stop of its own while it overflows (the arrow
  // keys scroll it), and none when all of it is in view. Looked at after layout, as the
  // strip or any tile in it changes size.
  const overflow = new ResizeObserver(() => {
    const overflows = grid.scrollWidth > grid.clientWidth + 1 || grid.scrollHeight > grid.clientHeight + 1;
    if (overflows === (grid.tabIndex === 0)) return;
    if (overflows) grid.tabIndex = 0;
    else grid.removeAttribute('tabindex');
  });
  overflow.observe(grid);

  /** The tile of the screen `id` shares next to its camera ('self': ours), made when first needed. */
  function showScreen(id: string, own: boolean, name: string, stream: MediaStream): ScreenTile {
    const tile = kept(screens, id, () => createScreenTile(id, own, name));
    drawScreenTile(tile, own, name, stream);
    return tile;
  }

  /** The tile of member `id` ('self': ours), made when first needed. */
  function show(id: string, own: boolean, name: string, stream: MediaStream, look: TileLook): Tile {
    const tile = kept(tiles, id, () => createTile(id, own, handlers));
    drawTile(tile, name, stream, look);
    return tile;
  }

  return {
    render(model) {
      const { self } = model;
      const wanted = new Set<string>();
      const wantedScreens = new Set<string>();
      const order: HTMLElement[] = [];
      // Our tile once our camera is open; the members' from the click on (we are in the
      // call while our media opens: features/calls-join.ts, join).
      if (self.inCall && model.preview) {
        wanted.add('self');
        const look = { state: self, relayed: false, heard: true, silence: 'theirs' } as const;
        order.push(show('self', true, `${model.selfName} (you)`, model.preview, look).root);
      }
      if (self.inCall && model.preview && model.screenPreview) {
        wantedScreens.add('self');
        order.push(showScreen('self', true, model.selfName, model.screenPreview).root);
      }
      if (self.inCall) {
        for (const p of model.participants) {
          wanted.add(p.id);
          const ignored = model.ignored(p.id);
          const tile = show(p.id, false, p.name, p.stream, {
            state: p.state,
            relayed: model.relayed(p.id),
            heard: p.heard,
            throughOthers: p.throughOthers,
            repairing: p.repairing,
            silence: model.silence(p.id),
            ignored,
          });
          if (tile.audio !== p.audio) {
            hearFrom(tile, p.audio);
            sayState(tile);
          }
          order.push(tile.root);
          // The screen a member we ignore shares next to its camera is not shown either.
          if (p.screen && !ignored) {
            wantedScreens.add(p.id);
            order.push(showScreen(p.id, false, p.name, p.screen).root);
          }
        }
      }
      for (const [id, tile] of tiles) {
        if (wanted.has(id)) continue;
        tile.video.srcObject = null;
        if (tile.sound) tile.sound.srcObject = null;
        tile.root.remove();
        overflow.unobserve(tile.root);
        tiles.delete(id);
      }
      for (const [id, tile] of screens) {
        if (wantedScreens.has(id)) continue;
        tile.video.srcObject = null;
        tile.root.remove();
        overflow.unobserve(tile.root);
        screens.delete(id);
      }
      // Only new tiles are inserted: taking a playing <video> out of the page pauses it. Ours
      // comes first, also when it comes after the members' (our camera opened later), and the
      // preview of our screen right after it. The members' screens go first by CSS (order).
      const own = tiles.get('self')?.root;
      const ownScreen = screens.get('self')?.root;
      for (const root of order) {
        if (root.parentElement === grid) continue;
        overflow.observe(root);
        if (root === own) grid.prepend(root);
        else if (root === ownScreen && own?.parentElement === grid) own.after(root);
        else grid.append(root);
      }
      setHidden(grid, order.length === 0);
    },
    contains: (node) => grid.contains(node),
    tiles: () => tiles.values(),
    hasTiles: () => tiles.size > 0,
  };
}

/** The tile kept for `id`, made and kept when there is none yet. */
function kept<T>(tiles: Map<string, T>, id: string, make: () => T): T {
  let tile = tiles.get(id);
  if (!tile) {
    tile = make();
    tiles.set(id, tile);
  }
  return tile;
}
